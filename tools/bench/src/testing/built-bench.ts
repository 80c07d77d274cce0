// Runs the built `portal-bench` executable as a process (built by `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/bench */
export const benchRoot = fileURLToPath(new URL('../..', import.meta.url));
export const benchMain = join(benchRoot, 'dist', 'main.js');

/** Fails clearly when the executable is not built (`npm test` builds everything first). */
export function ensureBuilt(): void {
  if (!existsSync(benchMain)) throw new Error('tools/bench is not built: run "npm run build" first');
}

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `portal-bench <args>` in `cwd`. */
export function runBenchProcess(args: string[], cwd: string): BenchRun {
  const result = spawnSync(process.execPath, [benchMain, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
