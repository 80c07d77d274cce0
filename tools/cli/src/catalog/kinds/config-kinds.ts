// The custom kinds of `catalog.kinds`, read from the configuration exactly as the services read it.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatKeyProblem } from '@portal/catalog-model';
import { ConfigurationError, type KindSource } from './kind-source.js';

/** The config key holding custom kind definitions, as the catalog service reads it. */
export const KINDS_KEY = 'catalog.kinds';

export interface ConfigKindsOptions {
  /** `--config` files, in order; relative to `cwd`. None: the default app-config.yaml, if there is one. */
  configPaths: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ConfigKinds {
  source: KindSource;
  /** The config files read, in merge order; empty when there was none. */
  configFiles: string[];
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

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads `catalog.kinds` the way the services read their configuration (`loadConfig` of
 * `@portal/platform`: overlays, `${VAR}` substitution, `APP_CONFIG_*` overrides). Without config
 * files the source is empty. Throws ConfigurationError for a file that cannot be read or a value
 * that is not a list.
 */
export async function readConfigKinds(options: ConfigKindsOptions): Promise<ConfigKinds> {
  const explicit = options.configPaths.map((path) => resolve(options.cwd, path));
  const rootDir = explicit.length > 0 ? options.cwd : findConfigRoot(options.cwd, options.env);
  const empty = { label: KINDS_KEY, entries: [] };
  if (rootDir === undefined) return { source: empty, configFiles: [] };
  // Loaded only when there is configuration to read: the platform library is large to start.
  const { loadConfig } = await import('@portal/platform');
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ argv: explicit.flatMap((file) => ['--config', file]), env: options.env, rootDir });
  } catch (error) {
    throw new ConfigurationError([(error as Error).message]);
  }
  const value = loaded.config.getOptional(KINDS_KEY);
  if (value !== undefined && !Array.isArray(value)) {
    throw new ConfigurationError([
      `${KINDS_KEY}: must be a list of kind definitions, found ${describe(value)}`,
    ]);
  }
  const files = loaded.files.map((file) => basename(file)).join(', ');
  return {
    configFiles: loaded.files,
    source: {
      label: files ? `${KINDS_KEY} (${files})` : KINDS_KEY,
      entries: (value ?? []).map((definition: unknown, index: number) => ({
        where: `${KINDS_KEY}[${index}]`,
        definition,
      })),
      formatProblem: formatKeyProblem,
    },
  };
}
