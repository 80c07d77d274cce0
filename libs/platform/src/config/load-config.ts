import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors/errors.js';
import { Config, type JsonObject, type JsonValue } from './config.js';

export interface LoadConfigOptions {
  /** Command-line arguments; every `--config <file>` (or `--config=<file>`) is loaded in order. */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Where app-config.yaml is looked for; defaults to PORTAL_ROOT, else the nearest folder from the
   * working directory up that holds an app-config.yaml (so a service started from its own folder
   * finds the repository's), else the working directory.
   */
  rootDir?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The files that were read, in merge order. */
  files: string[];
}

/** Reads the `--config` arguments the way Backstage's CLI does. */
export function configPathsFromArgv(argv: string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (!next) throw new InputError('--config needs a file path');
      paths.push(next);
      i++;
    } else if (arg.startsWith('--config=')) {
      paths.push(arg.slice('--config='.length));
    }
  }
  return paths;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Later values win; objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prev = out[key];
    out[key] = isObject(prev) && isObject(value) ? mergeConfig(prev, value) : value;
  }
  return out;
}

const ENV_PATTERN = /\$\{([^{}]*)\}/g;

/**
 * Backstage's substitution: `${VAR}` is replaced by the variable; `$${` escapes a literal `${`.
 * A value that names an unset variable becomes undefined (so the key is absent), unless it gives a
 * default with `${VAR:-default}`.
 */
export function substituteString(input: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false;
  const parts = input.split('$${');
  const substituted = parts.map((part) =>
    part.replace(ENV_PATTERN, (_m, expr: string) => {
      const [name, fallback] = expr.includes(':-') ? splitOnce(expr, ':-') : [expr, undefined];
      const value = env[name!.trim()];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing = true;
      return '';
    }),
  );
  return missing ? undefined : substituted.join('${');
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + sep.length)];
}

/** Applies `${VAR}` substitution and the `$env` / `$file` directives throughout a document. */
export function transformConfig(
  value: JsonValue,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  path = '',
): JsonValue | undefined {
  if (typeof value === 'string') return substituteString(value, env);
  if (Array.isArray(value)) {
    return value
      .map((v, i) => transformConfig(v, env, baseDir, `${path}[${i}]`))
      .filter((v): v is JsonValue => v !== undefined);
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$env') {
      const name = value.$env;
      if (typeof name !== 'string')
        throw new InputError(`Invalid $env directive at '${path}': expected a variable name`);
      return env[name] === undefined || env[name] === '' ? undefined : env[name];
    }
    if (keys.length === 1 && keys[0] === '$file') {
      const file = value.$file;
      if (typeof file !== 'string')
        throw new InputError(`Invalid $file directive at '${path}': expected a path`);
      const full = isAbsolute(file) ? file : resolve(baseDir, file);
      try {
        return readFileSync(full, 'utf8');
      } catch {
        throw new InputError(`Config key '${path}' reads $file ${full}, which could not be read`);
      }
    }
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const v = transformConfig(child, env, baseDir, path ? `${path}.${key}` : key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return value;
}

/**
 * `APP_CONFIG_backend_listen_port=7008` overrides `backend.listen.port`, as in Backstage; the value is
 * parsed as JSON when it can be, otherwise taken as a string. Each variable names one key and its
 * value replaces whatever the files hold there (so `APP_CONFIG_auth_providers='{}'` removes every
 * provider); see applyEnvOverrides.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): Array<{ path: string[]; value: JsonValue }> {
  const out: Array<{ path: string[]; value: JsonValue }> = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('APP_CONFIG_') || raw === undefined) continue;
    const path = name.slice('APP_CONFIG_'.length).split('_').filter(Boolean);
    if (path.length === 0) continue;
    let value: JsonValue;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      value = raw;
    }
    out.push({ path, value });
  }
  // Shorter paths first, so that a deeper override applies inside a replaced object.
  return out.sort((a, b) => a.path.length - b.path.length);
}

/** Sets each override's key to its value, replacing what was there. */
export function applyEnvOverrides(
  data: JsonObject,
  overrides: Array<{ path: string[]; value: JsonValue }>,
): JsonObject {
  const out = structuredClone(data);
  for (const { path, value } of overrides) {
    let cursor: JsonObject = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        cursor[part] = value;
        return;
      }
      const next = cursor[part];
      cursor = cursor[part] = isObject(next) ? next : {};
    });
  }
  return out;
}

function readConfigFile(file: string, env: NodeJS.ProcessEnv): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`Config file ${file} could not be read`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(`Config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc as JsonValue))
    throw new InputError(`Config file ${file} must hold a mapping at its top level`);
  return (transformConfig(doc as JsonValue, env, dirname(file)) ?? {}) as JsonObject;
}

/**
 * Where relative paths of the configuration resolve (file roots, locations): PORTAL_ROOT, else the
 * nearest folder from the working directory up that holds an app-config.yaml, else the cwd.
 */
export function configRootDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORTAL_ROOT ?? findConfigRoot(process.cwd());
}

function findConfigRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'app-config.yaml'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * Loads configuration like Backstage: with no `--config`, `app-config.yaml` and (if present)
 * `app-config.local.yaml` from the root; with `--config`, exactly the files named, in order. Then the
 * `APP_CONFIG_*` environment overrides.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const rootDir = options.rootDir ?? configRootDir(env);
  const explicit = configPathsFromArgv(options.argv ?? process.argv.slice(2)).map((p) => resolve(rootDir, p));
  const files = explicit.length
    ? explicit
    : [resolve(rootDir, 'app-config.yaml'), resolve(rootDir, 'app-config.local.yaml')].filter((f, i) =>
        i === 0 ? true : existsSync(f),
      );
  let data: JsonObject = {};
  for (const file of files) {
    if (!existsSync(file)) throw new InputError(`Config file ${file} does not exist`);
    data = mergeConfig(data, readConfigFile(file, env));
  }
  data = applyEnvOverrides(data, configFromEnv(env));
  return { config: Config.fromObject(data), files };
}
