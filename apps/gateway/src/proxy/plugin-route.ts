/** `/api/<pluginId>/…` and `/plugins/<pluginId>/…`: the plugin a request is for, if any. */
export function pluginIdOf(path: string): string | undefined {
  const m = /^\/(?:api|plugins)\/([^/?#]+)(?:[/?#]|$)/.exec(path);
  if (!m) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return /^[a-z][a-z0-9-]{0,62}$/.test(id) ? id : undefined;
}

/**
 * A plugin's UI asset (`GET|HEAD /plugins/<pluginId>/…`): public, since a browser's `<script>` sends
 * no Authorization header and the remote module's files hold no data. Everything under `/api/` and
 * every other method keeps the edge check.
 */
export function isPublicUiAsset(method: string | undefined, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && /^\/plugins\/[^/?#]+\//.test(path);
}
