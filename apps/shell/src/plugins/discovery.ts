/** A UI module reference of a manifest (libs/platform's UiModuleRef). */
export interface UiModuleRef {
  module: string;
  title: string;
  path?: string;
  icon?: string;
  nav?: boolean;
  kinds?: string[];
  ifAnnotation?: string;
}

export interface PluginManifestUi {
  entry: string;
  pages?: UiModuleRef[];
  entityTabs?: UiModuleRef[];
  entityCards?: UiModuleRef[];
}

/** One entry of `GET /api/discovery/plugins`. */
export interface InstalledPlugin {
  id: string;
  version: string;
  title?: string;
  manifest: { id: string; version: string; title?: string; ui?: PluginManifestUi };
  instances: number;
}

/** The installed plugins and their manifests (public: read before anyone signed in). */
export async function fetchInstalledPlugins(): Promise<InstalledPlugin[]> {
  const res = await fetch('/api/discovery/plugins', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`The gateway did not list the plugins (HTTP ${res.status})`);
  const body = (await res.json()) as { plugins?: InstalledPlugin[] };
  return body.plugins ?? [];
}
