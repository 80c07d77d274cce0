import type { EntityExtension, EntityExtensionModule, PluginExtensions } from '@portal/ui';
import type { InstalledPlugin, UiModuleRef } from './discovery.js';
import { loadPluginModule } from './remote-modules.js';

/** A page a plugin contributes: a route `<path>/*` and maybe a navigation item. */
export interface PluginPage {
  pluginId: string;
  path: string;
  title: string;
  icon?: string;
  nav: boolean;
  module: string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function extension(plugin: InstalledPlugin, ref: UiModuleRef): EntityExtension {
  return {
    id: `${plugin.id}:${ref.module}`,
    pluginId: plugin.id,
    title: ref.title,
    path: ref.path ?? slug(ref.title),
    kinds: ref.kinds,
    ifAnnotation: ref.ifAnnotation,
    load: () => loadPluginModule<EntityExtensionModule>(plugin.id, ref.module),
  };
}

/** The pages of all plugins; a path taken twice goes to the first plugin (by id) only. */
export function pluginPages(plugins: InstalledPlugin[]): PluginPage[] {
  const seen = new Set<string>();
  const pages: PluginPage[] = [];
  for (const plugin of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const page of plugin.manifest.ui?.pages ?? []) {
      const path = `/${(page.path ?? plugin.id).replace(/^\/+|\/+$/g, '')}`;
      if (seen.has(path) || path === '/') continue;
      seen.add(path);
      pages.push({
        pluginId: plugin.id,
        path,
        title: page.title,
        icon: page.icon,
        nav: page.nav !== false,
        module: page.module,
      });
    }
  }
  return pages;
}

/** What the manifests contribute to entity pages, and the plugin list, for @portal/ui's context. */
export function pluginExtensions(plugins: InstalledPlugin[]): PluginExtensions {
  return {
    plugins: plugins.map((p) => ({
      id: p.id,
      title: p.title,
      version: p.version,
      hasUi: Boolean(p.manifest.ui),
    })),
    entityTabs: plugins.flatMap((p) => (p.manifest.ui?.entityTabs ?? []).map((ref) => extension(p, ref))),
    entityCards: plugins.flatMap((p) => (p.manifest.ui?.entityCards ?? []).map((ref) => extension(p, ref))),
  };
}
