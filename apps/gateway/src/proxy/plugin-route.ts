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
