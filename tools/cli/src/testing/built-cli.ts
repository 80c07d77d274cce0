// Runs the built `portal` executable as a process (built by `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/cli */
export const cliRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The repository root. */
export const repoRoot = join(cliRoot, '..', '..');
export const cliMain = join(cliRoot, 'dist', 'main.js');

/** Fails clearly when the executable is not built (`npm test` builds everything first). */
export function ensureBuilt(): void {
  if (!existsSync(cliMain)) throw new Error('tools/cli is not built: run "npm run build" first');
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
