// Runs the built `portal` executable as a process, building it first when its sources are newer.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/cli */
export const cliRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The repository root. */
export const repoRoot = join(cliRoot, '..', '..');
export const cliMain = join(cliRoot, 'dist', 'main.js');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return newest;
    return Math.max(newest, statSync(path).mtimeMs);
  }, 0);
}

/** Builds tools/cli when dist/main.js is missing or older than a source file. */
export function ensureBuilt(): void {
  for (const lib of ['catalog-model', 'platform']) {
    if (!existsSync(join(repoRoot, 'libs', lib, 'dist', 'index.js'))) {
      throw new Error(`libs/${lib} is not built: run "npx nx run-many -t build" first`);
    }
  }
  if (existsSync(cliMain) && statSync(cliMain).mtimeMs >= newestSource(join(cliRoot, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(cliRoot, 'tsconfig.build.json')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`building tools/cli failed:\n${result.stdout}${result.stderr}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without the variables that change the CLI's behaviour, plus `env`. */
function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !['NO_COLOR', 'FORCE_COLOR', 'PORTAL_ROOT'].includes(name) && !name.startsWith('APP_CONFIG_'),
    ),
  );
  return { ...base, ...env };
}

/** `portal <args>` in `cwd`, with `env` added to a clean environment. */
export function runPortal(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [cliMain, ...args], {
    cwd,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
