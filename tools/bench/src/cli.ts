// `portal-bench generate`: writes a generated organisation as descriptor files.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  oversizedFiles,
  renderCatalog,
  writeCatalog,
  LOCATION_FILE,
  MAX_FILE_BYTES,
  MAX_FILE_DOCUMENTS,
} from './catalog-files.js';
import { generateEntities, MIN_ENTITIES } from './generate-entities.js';
import { formatResult, runCatalogBench, type IngestMode } from './run/catalog-bench.js';
import { formatPermissionResult, runPermissionBench } from './run/permission-bench.js';

export interface BenchContext {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const HELP = `Usage: portal-bench <command> [options]

Commands:
  generate   Write a generated organisation of N entities as catalog descriptor files
  run        Ingest a generated organisation into a real catalog and measure it
  permissions  Time batches of permission decisions over the permission service's gRPC API

Run "portal-bench <command> --help" for its options.
`;

export const RUN_HELP = `Usage: portal-bench run [--count 10000] [--seed 42] [--mode both] [--replicas 1] [--out bench-results]

Starts a gateway and catalog replicas from the built apps (npm run build first) on a database of
their own, ingests a generated organisation through a file location and through push ingestion
(each into an empty catalog), re-ingests it unchanged, then measures by-query paging, by-refs,
by-name and facets through the gateway, and the catalog's RSS. Prints a table and writes
<out>/<date>-catalog-<count>.json. Not a test: run it on a quiet machine.

Options:
  --count <n>       Entities to generate (default 10000)
  --seed <n>        Generator seed (default 42)
  --mode <m>        location, push or both (default both; queries are measured after the first)
  --replicas <n>    Catalog processes (default 1)
  --out <dir>       Where results go (default bench-results)
  --timeout <s>     Give up an ingestion after this many seconds (default 900)
  --cpu-prof <dir>  Write V8 CPU profiles of the catalog processes to <dir> (open in Chrome DevTools)
  --keep-databases  Leave the bench's databases behind (names printed) to inspect plans afterwards
  -h, --help        Show this help

Environment: DATABASE_URL, a PostgreSQL server the bench may create and drop databases on
(default postgres://postgres@127.0.0.1:5432/postgres).

Exit codes: 0 measured, 1 a run failed, 2 usage error.
`;

export const GENERATE_HELP = `Usage: portal-bench generate --out <dir> [--count 10000] [--seed 42] [--files 100]

Generates a realistic organisation (groups with members, domains, systems, components, APIs,
resources and the relations between them) and writes it to <dir> as multi-document YAML files
(entities-001.yaml, …) plus ${LOCATION_FILE}, a Location listing them by relative target. The same
seed and count always give byte-identical files.

Options:
  --out <dir>       Where to write; created when missing. Entity files and ${LOCATION_FILE} of an
                    earlier run there are replaced, nothing else is touched.
  --count <n>       How many entities, at least ${MIN_ENTITIES} (default 10000); the Location comes on top
  --seed <n>        An integer from 0 to 4294967295 (default 42)
  --files <n>       How many entity files (default 100, at most one per entity)
  -h, --help        Show this help

Exit codes: 0 written, 2 usage error.
`;

class UsageError extends Error {}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function generate(args: string[], context: BenchContext): number {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      files: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    context.stdout(GENERATE_HELP);
    return 0;
  }
  if (!values.out) throw new UsageError('--out <dir> is required');
  const count = integer('count', values.count, 10_000, MIN_ENTITIES, 10_000_000);
  const seed = integer('seed', values.seed, 42, 0, 4_294_967_295);
  const fileCount = integer('files', values.files, 100, 1, 1_000_000);

  const started = performance.now();
  const entities = generateEntities(count, seed);
  const generated = performance.now();
  const files = renderCatalog(entities, { seed, files: fileCount });
  const rendered = performance.now();
  const tooLarge = oversizedFiles(files);
  if (tooLarge.length > 0) {
    throw new UsageError(
      `${tooLarge[0]!.name} would hold ${tooLarge[0]!.entities} entities in ${megabytes(Buffer.byteLength(tooLarge[0]!.text))}, ` +
        `more than the catalog reads from one file (${MAX_FILE_DOCUMENTS} documents, ${megabytes(MAX_FILE_BYTES)}): use more --files`,
    );
  }
  const dir = resolve(context.cwd, values.out);
  const bytes = writeCatalog(dir, files);
  const written = performance.now();

  const byKind = new Map<string, number>();
  for (const entity of entities) byKind.set(entity.kind, (byKind.get(entity.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  context.stdout(
    `Generated ${count} entities (seed ${seed}) in ${seconds(generated - started)}: ${kinds}\n` +
      `Wrote ${files.length - 1} entity files and ${LOCATION_FILE} to ${dir} ` +
      `(${megabytes(bytes)}; YAML ${seconds(rendered - generated)}, disk ${seconds(written - rendered)})\n`,
  );
  return 0;
}

export const PERMISSIONS_HELP = `Usage: portal-bench permissions [--calls 1000] [--batch 100] [--out bench-results]

Starts a gateway and the permission service (built apps) with a policy of its own, registers
itself as a plugin and times gRPC Authorize calls, each a batch of decisions for the guest user:
a quarter basic permissions allowed, a quarter denied, half conditional (catalog.entity.read with
IS_ENTITY_OWNER or HAS_LABEL). Prints p50/p95/p99 and writes <out>/<date>-permissions.json.

Options:
  --calls <n>   Timed calls (default 1000, after 50 warm-up calls)
  --batch <n>   Decisions per call (default 100)
  --out <dir>   Where results go (default bench-results)
  -h, --help    Show this help
`;

async function permissions(args: string[], context: BenchContext): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      calls: { type: 'string' },
      batch: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    context.stdout(PERMISSIONS_HELP);
    return 0;
  }
  const options = {
    calls: integer('calls', values.calls, 1000, 1, 1_000_000),
    batch: integer('batch', values.batch, 100, 1, 1000),
    outDir: resolve(context.cwd, values.out ?? 'bench-results'),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    log: (line: string) => context.stderr(`${line}\n`),
  };
  try {
    context.stdout(formatPermissionResult(await runPermissionBench(options)));
    return 0;
  } catch (error) {
    context.stderr(`portal-bench permissions failed: ${(error as Error).message}\n`);
    return 1;
  }
}

async function run(args: string[], context: BenchContext): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      replicas: { type: 'string' },
      out: { type: 'string' },
      timeout: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'keep-databases': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    context.stdout(RUN_HELP);
    return 0;
  }
  const mode = values.mode ?? 'both';
  if (!['location', 'push', 'both'].includes(mode)) {
    throw new UsageError(`--mode must be location, push or both, not "${mode}"`);
  }
  const options = {
    count: integer('count', values.count, 10_000, MIN_ENTITIES, 1_000_000),
    seed: integer('seed', values.seed, 42, 0, 4_294_967_295),
    modes: (mode === 'both' ? ['location', 'push'] : [mode]) as IngestMode[],
    replicas: integer('replicas', values.replicas, 1, 1, 8),
    timeoutMs: integer('timeout', values.timeout, 900, 10, 86_400) * 1000,
    outDir: resolve(context.cwd, values.out ?? 'bench-results'),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    log: (line: string) => context.stderr(`${line}\n`),
    cpuProfileDir: values['cpu-prof'] && resolve(context.cwd, values['cpu-prof']),
    keepDatabases: values['keep-databases'] ?? false,
  };
  try {
    context.stdout(formatResult(await runCatalogBench(options)));
    return 0;
  } catch (error) {
    context.stderr(`portal-bench run failed: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Runs `portal-bench <args>` and returns the exit code. */
export function runBench(args: string[], context: BenchContext): number | Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      (command === undefined ? context.stderr : context.stdout)(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === 'generate') return generate(rest, context);
    if (command === 'run')
      return run(rest, context).catch((error: unknown) => usageOrThrow(error, command, context));
    if (command === 'permissions') {
      return permissions(rest, context).catch((error: unknown) => usageOrThrow(error, command, context));
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    return usageOrThrow(error, command, context);
  }
}

function usageOrThrow(error: unknown, command: string, context: BenchContext): number {
  const usage =
    error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
  if (!usage) throw error;
  const known = command === 'generate' || command === 'run' || command === 'permissions';
  context.stderr(
    `portal-bench: ${(error as Error).message}\nRun "portal-bench ${known ? `${command} ` : ''}--help" for usage.\n`,
  );
  return 2;
}
