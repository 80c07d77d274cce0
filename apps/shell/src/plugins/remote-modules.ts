import { loadRemote, registerRemotes } from '@module-federation/runtime';
import type { InstalledPlugin } from './discovery.js';

/** A remote's federation name: the plugin id with anything but letters and digits as `_`. */
export function remoteNameOf(pluginId: string): string {
  return pluginId.replace(/[^A-Za-z0-9]/g, '_');
}

function entryUrl(plugin: InstalledPlugin): string {
  const entry = plugin.manifest.ui!.entry.replace(/^\.?\//, '');
  return `/plugins/${encodeURIComponent(plugin.id)}/${entry}`;
}

const registered = new Map<string, InstalledPlugin>();

/** Registers the remote of every plugin with a UI (`/plugins/<id>/<entry>`): nothing is fetched yet. */
export function registerPluginRemotes(plugins: InstalledPlugin[]): void {
  const withUi = plugins.filter((p) => p.manifest.ui);
  for (const p of withUi) registered.set(p.id, p);
  registerRemotes(
    withUi.map((p) => ({ name: remoteNameOf(p.id), entry: entryUrl(p), type: 'module' })),
    { force: true },
  );
}

/**
 * Loads one module a plugin's manifest names (`./CatalogPage`). After a failure, `reload` registers
 * the remote again so its entry is fetched anew (a plugin back up, or a new version deployed).
 */
export async function loadPluginModule<T>(pluginId: string, module: string, reload = false): Promise<T> {
  const plugin = registered.get(pluginId);
  if (!plugin) throw new Error(`Plugin '${pluginId}' has no UI module registered`);
  if (reload) {
    registerRemotes([{ name: remoteNameOf(pluginId), entry: entryUrl(plugin), type: 'module' }], {
      force: true,
    });
  }
  const id = `${remoteNameOf(pluginId)}/${module.replace(/^\.\//, '')}`;
  const loaded = await loadRemote<T>(id);
  if (!loaded) throw new Error(`Plugin '${pluginId}' does not expose ${module}`);
  return loaded;
}
