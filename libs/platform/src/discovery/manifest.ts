/** The plugin manifest (DESIGN.md): one contract for the gateway, the shell and dynamic plugins. */
export interface UiModuleRef {
  module: string;
  title: string;
  path?: string;
  icon?: string;
  nav?: boolean;
  kinds?: string[];
  ifAnnotation?: string;
}

export interface PluginManifest {
  id: string;
  version: string;
  title?: string;
  /** Platform versions the plugin runs on (a semver range). */
  platform: string;
  grpc?: string[];
  ui?: {
    entry: string;
    pages?: UiModuleRef[];
    entityTabs?: UiModuleRef[];
    entityCards?: UiModuleRef[];
  };
  permissions?: string[];
}

/** The platform version every built-in service runs; manifests name a range of it. */
export const PLATFORM_VERSION = '1.0.0';
