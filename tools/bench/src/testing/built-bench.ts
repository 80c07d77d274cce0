// Runs the built `portal-bench` executable as a process, building it first when its sources are newer.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/bench */
export const benchRoot = fileURLToPath(new URL('../..', import.meta.url));
export const benchMain = join(benchRoot, 'dist', 'main.js');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return newest;
    return Math.max(newest, statSync(path).mtimeMs);
  }, 0);
}

/** Builds tools/bench when dist/main.js is missing or older than a source file. */
export function ensureBuilt(): void {
  if (!existsSync(join(benchRoot, '..', '..', 'libs', 'catalog-model', 'dist', 'index.js'))) {
    throw new Error('libs/catalog-model is not built: run "npx nx run-many -t build" first');
  }
  if (existsSync(benchMain) && statSync(benchMain).mtimeMs >= newestSource(join(benchRoot, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(benchRoot, 'tsconfig.build.json')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`building tools/bench failed:\n${result.stdout}${result.stderr}`);
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
