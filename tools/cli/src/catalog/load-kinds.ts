// The kinds descriptors are checked against: the built-in ones plus `catalog.kinds` from config.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KindDefinitionError, KindRegistry } from '@portal/catalog-model';

/** The config key holding custom kind definitions, as KindRegistry.register takes them. */
export const KINDS_KEY = 'catalog.kinds';

/** The configuration could not be read, or holds a bad kind definition; each detail names its file or key. */
export class ConfigurationError extends Error {
  constructor(readonly details: string[]) {
    super(details.join('\n'));
    this.name = 'ConfigurationError';
  }
}

export interface LoadKindsOptions {
  /** `--config` files, in order; relative to `cwd`. None: the default app-config.yaml, if there is one. */
  configPaths: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface LoadedKinds {
  kinds: KindRegistry;
  /** The config files read, in merge order; empty when there was none. */
  configFiles: string[];
}

/** `catalog.kinds[2].relations[0].field`: a problem path under an item of the list, as a config key. */
function keyOf(index: number, path: string): string {
  const base = `${KINDS_KEY}[${index}]`;
  if (path === '') return base;
  return (
    base +
    path
      .split('.')
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function kindNameOf(definition: unknown): string | undefined {
  if (typeof definition !== 'object' || definition === null) return undefined;
  const kind = (definition as Record<string, unknown>).kind;
  return typeof kind === 'string' ? kind : undefined;
}

/**
 * Registers every definition listed under `catalog.kinds` (the value at that key, or undefined).
 * Returns one message per problem, each naming the config key it is about; none when all are good.
 */
export function registerConfiguredKinds(kinds: KindRegistry, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    return [`${KINDS_KEY}: must be a list of kind definitions, found ${describe(value)}`];
  const errors: string[] = [];
  const definedAt = new Map<string, number>();
  value.forEach((definition: unknown, index) => {
    const name = kindNameOf(definition);
    const earlier = name === undefined ? undefined : definedAt.get(name.toLowerCase());
    if (earlier !== undefined) {
      errors.push(`${keyOf(index, 'kind')}: kind "${name}" is already defined at ${keyOf(earlier, '')}`);
      return;
    }
    try {
      kinds.register(definition);
      if (name !== undefined) definedAt.set(name.toLowerCase(), index);
    } catch (error) {
      if (!(error instanceof KindDefinitionError)) throw error;
      if (error.problems.length === 0) errors.push(`${keyOf(index, '')}: ${error.message}`);
      for (const problem of error.problems) {
        errors.push(`${keyOf(index, problem.path)}: ${problem.message}`);
      }
    }
  });
  return errors;
}

/** Where services find app-config.yaml: PORTAL_ROOT, else the nearest folder from `cwd` up holding one. */
export function findConfigRoot(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.PORTAL_ROOT) {
    return existsSync(resolve(env.PORTAL_ROOT, 'app-config.yaml')) ? resolve(env.PORTAL_ROOT) : undefined;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'app-config.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads the configuration the way the services do (overlays, `${VAR}` substitution, `APP_CONFIG_*`
 * overrides) and builds the registry of built-in and configured kinds. Throws ConfigurationError.
 */
export async function loadKinds(options: LoadKindsOptions): Promise<LoadedKinds> {
  const kinds = new KindRegistry();
  const explicit = options.configPaths.map((path) => resolve(options.cwd, path));
  const rootDir = explicit.length > 0 ? options.cwd : findConfigRoot(options.cwd, options.env);
  if (rootDir === undefined) return { kinds, configFiles: [] };
  // Loaded only when there is configuration to read: the platform library is large to start.
  const { loadConfig } = await import('@portal/platform');
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({
      argv: explicit.flatMap((file) => ['--config', file]),
      env: options.env,
      rootDir,
    });
  } catch (error) {
    throw new ConfigurationError([(error as Error).message]);
  }
  const errors = registerConfiguredKinds(kinds, loaded.config.getOptional(KINDS_KEY));
  if (errors.length > 0) throw new ConfigurationError(errors);
  return { kinds, configFiles: loaded.files };
}
