import { Ajv } from 'ajv';
import semver from 'semver';
import { InputError, PLATFORM_VERSION, type PluginManifest } from '@portal/platform';

/** Path segments the gateway serves itself: no plugin may take them. */
export const RESERVED_PLUGIN_IDS = new Set(['auth', 'discovery', 'gateway', 'health']);

const uiRef = {
  type: 'object',
  required: ['module', 'title'],
  properties: {
    module: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    path: { type: 'string' },
    icon: { type: 'string' },
    nav: { type: 'boolean' },
    kinds: { type: 'array', items: { type: 'string' } },
    ifAnnotation: { type: 'string' },
  },
};

const manifestSchema = {
  type: 'object',
  required: ['id', 'version', 'platform'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    version: { type: 'string' },
    title: { type: 'string' },
    platform: { type: 'string' },
    grpc: { type: 'array', items: { type: 'string' } },
    ui: {
      type: 'object',
      required: ['entry'],
      properties: {
        entry: { type: 'string', pattern: '^[A-Za-z0-9._/-]+$' },
        pages: { type: 'array', items: uiRef },
        entityTabs: { type: 'array', items: uiRef },
        entityCards: { type: 'array', items: uiRef },
      },
    },
    permissions: { type: 'array', items: { type: 'string' } },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(manifestSchema);

/**
 * Checks a registration's manifest: well-formed, naming the plugin it registers for, and made for a
 * platform version this gateway runs. An incompatible plugin is refused with a message saying why,
 * instead of breaking the shell later.
 */
export function checkManifest(pluginId: string, version: string, manifestJson: string): PluginManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestJson);
  } catch {
    throw new InputError(`Plugin '${pluginId}' sent a manifest that is not JSON`);
  }
  if (!validate(manifest)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new InputError(`Plugin '${pluginId}' sent an invalid manifest: ${problems}`);
  }
  const m = manifest as unknown as PluginManifest;
  if (m.id !== pluginId) throw new InputError(`Manifest id '${m.id}' does not match plugin id '${pluginId}'`);
  if (RESERVED_PLUGIN_IDS.has(m.id)) throw new InputError(`Plugin id '${m.id}' is reserved by the gateway`);
  if (!semver.valid(m.version) || m.version !== version) {
    throw new InputError(
      `Plugin '${pluginId}' has an invalid version '${m.version}' (registration says '${version}')`,
    );
  }
  if (!semver.validRange(m.platform)) {
    throw new InputError(`Plugin '${pluginId}' names an invalid platform range '${m.platform}'`);
  }
  if (!semver.satisfies(PLATFORM_VERSION, m.platform)) {
    throw new InputError(
      `Plugin '${pluginId}' ${m.version} needs platform ${m.platform}, but this gateway runs platform ${PLATFORM_VERSION}`,
    );
  }
  return m;
}
