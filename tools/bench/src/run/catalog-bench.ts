// `portal-bench run`: ingests a generated organisation into a real catalog and measures it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Entity } from '@portal/catalog-model';
import { LOCATION_FILE, renderCatalog, writeCatalog } from '../catalog-files.js';
import { generateEntities } from '../generate-entities.js';
import { Random } from '../random.js';
import { CatalogApi } from './catalog-api.js';
import { RssSampler } from './rss.js';
import { PortalUnderTest, poll, repoRoot } from './services.js';
import { summarize, timed, type LatencySummary } from './stats.js';

export type IngestMode = 'location' | 'push';

export interface CatalogBenchOptions {
  count: number;
  seed: number;
  modes: IngestMode[];
  replicas: number;
  databaseUrl: string;
  /** Where the JSON result goes. */
  outDir: string;
  /** Progress lines. */
  log(line: string): void;
  /** Ingestion timeout. */
  timeoutMs: number;
  /** Write CPU profiles of the catalog processes here (`--cpu-prof`). */
  cpuProfileDir?: string;
  /** Keep the bench's databases (`--keep-databases`); their names are logged. */
  keepDatabases?: boolean;
}

export interface IngestResult {
  mode: IngestMode;
  seconds: number;
  entitiesPerSecond: number;
  finalEntities: number;
  withErrors: number;
  /** Push only: how long the pushes themselves took. */
  pushSeconds?: number;
  /** Catalog RSS peak during ingestion (any replica), MiB. */
  rssPeakMiB: number;
  /** Rows written per table during ingestion (PostgreSQL's statistics; a write-amplification gauge). */
  tableWrites: Record<string, { inserted: number; updated: number; deleted: number }>;
  reingest: { seconds: number; finalRowsRewritten: number; reportedChanges?: number };
}

export interface CatalogBenchResult {
  date: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  count: number;
  seed: number;
  replicas: number;
  ingest: IngestResult[];
  queries?: {
    byQueryPage: LatencySummary & { pages: number; firstPageMs: number };
    /**
     * The first page of the same query, unfiltered and with the filter a conditional
     * `catalog.entity.read` (IS_ENTITY_OWNER for a user in three teams) becomes, alternated.
     */
    ownershipFilter: {
      unfiltered: LatencySummary;
      filtered: LatencySummary;
      matches: number;
      ratioP50: number;
    };
    byRefs100: LatencySummary;
    byName: LatencySummary;
    facets: LatencySummary & { firstCallMs: number };
  };
  rss: { queriesPeakMiB: number; steadyMiB: number[] };
  targets: Record<string, { target: string; value: number | undefined; met: boolean | undefined }>;
}

const TOKEN = `bench-token-${Date.now().toString(36)}-0123456789abcdef`;
const ALL_KINDS = [
  'Component',
  'System',
  'API',
  'Resource',
  'Location',
  'Domain',
  'Group',
  'User',
  'Template',
];

interface Progress {
  refreshRows: number;
  unprocessed: number;
  pendingStitch: number;
  finalEntities: number;
  withErrors: number;
}

async function readProgress(sql: pg.Client): Promise<Progress> {
  const { rows } = await sql.query(`
    SELECT count(*)::int AS refresh_rows,
           count(*) FILTER (WHERE result_hash IS NULL)::int AS unprocessed,
           count(*) FILTER (WHERE next_stitch_at IS NOT NULL)::int AS pending_stitch,
           count(*) FILTER (WHERE errors IS NOT NULL AND jsonb_array_length(errors) > 0)::int AS with_errors,
           (SELECT count(*) FROM final_entities)::int AS final_entities
      FROM refresh_state`);
  const row = rows[0];
  return {
    refreshRows: row.refresh_rows,
    unprocessed: row.unprocessed,
    pendingStitch: row.pending_stitch,
    finalEntities: row.final_entities,
    withErrors: row.with_errors,
  };
}

async function connect(url: string): Promise<pg.Client> {
  return poll(
    'the catalog database',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('SELECT 1 FROM refresh_state LIMIT 1');
      } catch (error) {
        await client.end();
        throw error;
      }
      return client;
    },
    120_000,
    500,
  );
}

/**
 * Waits until every entity is processed and stitched and at least `expected` are served. Progress
 * comes from the replicas' counters; the database is only asked once they say the work may be done
 * (a count over the tables every few hundred milliseconds would load the machine being measured).
 */
async function waitIngested(
  portal: PortalUnderTest,
  sql: pg.Client,
  expected: number,
  started: number,
  options: CatalogBenchOptions,
  /** The stitch counter before the ingestion began (pushes are stitched while they arrive). */
  stitchedBefore: number,
): Promise<Progress> {
  let lastLog = 0;
  return poll(
    `${expected} entities to be ingested`,
    async () => {
      const processed = await portal.catalogCounter('catalog_processing_entities_total');
      const stitched = (await portal.catalogCounter('catalog_stitching_written_total')) - stitchedBefore;
      const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        options.log(
          `  ${seconds} s  ${processed.toLocaleString('en')} processed, ${stitched.toLocaleString('en')} stitched`,
        );
      }
      if (stitched < expected && expected > 0) return undefined;
      const progress = await readProgress(sql);
      const done =
        progress.finalEntities >= expected && progress.unprocessed === 0 && progress.pendingStitch === 0;
      if (done) {
        options.log(
          `  ${seconds} s  done: ${progress.finalEntities.toLocaleString('en')} served, ${progress.refreshRows.toLocaleString('en')} processed`,
        );
      }
      return done ? progress : undefined;
    },
    options.timeoutMs,
    1000,
  );
}

async function tableWrites(sql: pg.Client): Promise<IngestResult['tableWrites']> {
  // Statistics reach the view when each backend flushes them (about once a second).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const { rows } = await sql.query(
    `SELECT relname, n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_del::int AS del
       FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.relname, { inserted: r.ins, updated: r.upd, deleted: r.del }]),
  );
}

async function maxEventId(sql: pg.Client): Promise<number> {
  return Number((await sql.query('SELECT coalesce(max(id), 0) AS id FROM entity_events')).rows[0].id);
}

async function eventsAfter(sql: pg.Client, id: number): Promise<number> {
  return Number((await sql.query('SELECT count(*) AS n FROM entity_events WHERE id > $1', [id])).rows[0].n);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function pushAll(api: CatalogApi, entities: Entity[]): Promise<number> {
  let changes = 0;
  const queue = chunks(entities, 1000);
  const worker = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const summary = await api.push('bench', batch);
      changes += summary.added + summary.updated + summary.deleted;
    }
  };
  await Promise.all([worker(), worker()]);
  return changes;
}

async function measureQueries(
  api: CatalogApi,
  entities: Entity[],
  seed: number,
  log: (line: string) => void,
): Promise<NonNullable<CatalogBenchResult['queries']>> {
  const random = new Random(seed + 1);
  const components = entities.filter((e) => e.kind === 'Component');
  const refOf = (e: Entity) =>
    `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;

  const facetsPath = '/api/catalog/entity-facets?facet=kind&facet=spec.type&facet=metadata.tags';
  const firstFacets = await timed(() => api.get(facetsPath));
  const firstPagePath =
    '/api/catalog/entities/by-query?filter=kind%3Dcomponent%2Cspec.type%3Dservice&orderField=metadata.name%2Casc&limit=100';
  const firstPage = await timed(() => api.get<{ totalItems: number }>(firstPagePath));

  // Warm-up: connections, JIT, plans.
  for (let i = 0; i < 30; i++) {
    await api.get(`/api/catalog/entities/by-name/component/default/${random.pick(components).metadata.name}`);
    await api.get(firstPagePath);
  }

  log('  by-query: pages of 100, filtered, ordered, cursor to the end');
  const pageTimes: number[] = [];
  let seen = 0;
  let path: string | undefined = firstPagePath;
  for (let page = 0; path && page < 5000; page++) {
    const { value, ms } = await timed(() =>
      api.get<{ items: unknown[]; pageInfo: { nextCursor?: string } }>(path!),
    );
    pageTimes.push(ms);
    seen += value.items.length;
    path = value.pageInfo.nextCursor
      ? `/api/catalog/entities/by-query?limit=100&cursor=${encodeURIComponent(value.pageInfo.nextCursor)}`
      : undefined;
  }
  if (seen !== firstPage.value.totalItems) {
    throw new Error(`by-query paging returned ${seen} items, totalItems said ${firstPage.value.totalItems}`);
  }

  log('  by-query first page, unfiltered and with an ownership (permission) filter');
  const owners = [
    ...new Set(
      components
        .map((e) => (e.spec as { owner?: string }).owner)
        .filter((o): o is string => typeof o === 'string'),
    ),
  ];
  const claims = random
    .shuffle(owners)
    .slice(0, 3)
    .map((o) => (o.includes(':') ? o : `group:default/${o}`));
  const baseQuery = { kind: 'component', 'spec.type': 'service' };
  const pageBody = (query: unknown) => ({
    query,
    orderBy: [{ field: 'metadata.name', order: 'asc' }],
    limit: 100,
  });
  const filteredQuery = { $all: [baseQuery, { 'relations.ownedBy': { $in: claims } }] };
  const unfilteredTimes: number[] = [];
  const filteredTimes: number[] = [];
  let matches = 0;
  for (let i = 0; i < 200; i++) {
    unfilteredTimes.push(
      (await timed(() => api.post('/api/catalog/entities/by-query', pageBody(baseQuery)))).ms,
    );
    const { value, ms } = await timed(() =>
      api.post<{ totalItems: number }>('/api/catalog/entities/by-query', pageBody(filteredQuery)),
    );
    filteredTimes.push(ms);
    matches = value.totalItems;
  }
  const unfiltered = summarize(unfilteredTimes);
  const filtered = summarize(filteredTimes);

  log('  by-refs: 100 refs per call (5 missing)');
  const refsTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const refs = Array.from({ length: 95 }, () => refOf(random.pick(entities)));
    for (let m = 0; m < 5; m++)
      refs.splice(random.int(refs.length), 0, `component:default/missing-${i}-${m}`);
    const { value, ms } = await timed(() =>
      api.post<{ items: Array<Entity | null> }>('/api/catalog/entities/by-refs', { entityRefs: refs }),
    );
    if (value.items.filter((item) => item === null).length !== 5)
      throw new Error('by-refs returned wrong nulls');
    refsTimes.push(ms);
  }

  log('  by-name');
  const nameTimes: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const entity = random.pick(entities);
    const { ms } = await timed(() =>
      api.get(
        `/api/catalog/entities/by-name/${entity.kind.toLowerCase()}/${entity.metadata.namespace ?? 'default'}/${encodeURIComponent(entity.metadata.name)}`,
      ),
    );
    nameTimes.push(ms);
  }

  log('  facets: kind, spec.type, metadata.tags');
  const facetTimes: number[] = [];
  for (let i = 0; i < 200; i++) facetTimes.push((await timed(() => api.get(facetsPath))).ms);

  return {
    byQueryPage: { ...summarize(pageTimes), pages: pageTimes.length, firstPageMs: Math.round(firstPage.ms) },
    ownershipFilter: {
      unfiltered,
      filtered,
      matches,
      ratioP50: Math.round((filtered.p50 / unfiltered.p50) * 100) / 100,
    },
    byRefs100: summarize(refsTimes),
    byName: summarize(nameTimes),
    facets: { ...summarize(facetTimes), firstCallMs: Math.round(firstFacets.ms) },
  };
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** One ingestion mode against a fresh portal; measures queries too when asked. */
async function runMode(
  mode: IngestMode,
  entities: Entity[],
  options: CatalogBenchOptions,
  withQueries: boolean,
): Promise<{
  ingest: IngestResult;
  queries?: CatalogBenchResult['queries'];
  queriesPeak: number;
  steady: number[];
}> {
  const { log, count, seed } = options;
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const catalogConfig: Record<string, unknown> = {
    rules: [{ allow: ALL_KINDS }],
    // Nothing is re-processed on its own while the bench measures; re-ingestion is triggered.
    processingInterval: { minutes: 60 },
    locations: [],
    fileRoots: [dir],
    providers: { push: [{ name: 'bench', allow: ['bench'] }] },
  };
  if (mode === 'location') {
    log(`writing ${count.toLocaleString('en')} entities as YAML to ${dir}`);
    const files = renderCatalog(entities, { seed, files: Math.max(100, Math.ceil(count / 1000)) });
    writeCatalog(dir, files);
    // One location per file, as an organisation registers one per repository. (A single Location
    // listing every file as a target also works, but is read as one unit: see the README.)
    catalogConfig.locations = files
      .filter((file) => file.name !== LOCATION_FILE)
      .map((file) => ({ type: 'file', target: join(dir, file.name) }));
  }
  const portal = new PortalUnderTest({
    databaseUrl: options.databaseUrl,
    catalogConfig,
    token: TOKEN,
    replicas: options.replicas,
    catalogNodeArgs: options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [],
    keepDatabases: options.keepDatabases,
  });
  const rss = new RssSampler(() => portal.catalogPids());
  let sql: pg.Client | undefined;
  // Ctrl-C stops the processes and drops the bench's databases before exiting.
  const interrupted = () => {
    log('interrupted: stopping the portal and dropping its databases');
    void portal.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await portal.startGateway();
    log(`${mode} ingestion: starting ${options.replicas} catalog replica(s)`);
    const started = Date.now();
    await portal.startCatalogs();
    rss.start();
    await portal.waitForCatalogs();
    sql = await connect(portal.catalogDatabaseUrl);
    const api = new CatalogApi(portal.gatewayUrl, TOKEN);
    let pushSeconds: number | undefined;
    let ingestStart = started;
    const stitchedBefore = await portal.catalogCounter('catalog_stitching_written_total');
    if (mode === 'push') {
      ingestStart = Date.now();
      await pushAll(api, entities);
      pushSeconds = (Date.now() - ingestStart) / 1000;
      log(`  pushed ${count.toLocaleString('en')} entities in ${pushSeconds.toFixed(1)} s`);
    }
    const progress = await waitIngested(portal, sql, count, ingestStart, options, stitchedBefore);
    const seconds = (Date.now() - ingestStart) / 1000;
    const rssPeakMiB = rss.stop();
    const served = (await api.get<{ totalItems: number }>('/api/catalog/entities/by-query?limit=1'))
      .totalItems;
    log(
      `  ingested: ${served.toLocaleString('en')} entities served after ${seconds.toFixed(1)} s (peak RSS ${rssPeakMiB} MiB)`,
    );
    const writes = await tableWrites(sql);
    log(
      `  rows written: ${Object.entries(writes)
        .map(([table, w]) => `${table} +${w.inserted} ~${w.updated} -${w.deleted}`)
        .join(', ')}`,
    );

    log('  re-ingesting the unchanged set');
    const marker = await maxEventId(sql);
    const reStart = Date.now();
    let reportedChanges: number | undefined;
    if (mode === 'push') {
      reportedChanges = await pushAll(api, entities);
    } else {
      const before = await portal.catalogCounter('catalog_processing_entities_total');
      const { rowCount } = await sql.query('UPDATE refresh_state SET next_update_at = now()');
      await poll(
        're-processing of every entity',
        async () =>
          (await portal.catalogCounter('catalog_processing_entities_total')) >= before + (rowCount ?? 0),
        options.timeoutMs,
        500,
      );
    }
    await waitIngested(portal, sql, 0, reStart, options, 0);
    const reSeconds = (Date.now() - reStart) / 1000;
    const finalRowsRewritten = await eventsAfter(sql, marker);
    log(`  re-ingestion: ${reSeconds.toFixed(1)} s, ${finalRowsRewritten} final rows rewritten`);

    let queries: CatalogBenchResult['queries'];
    let queriesPeak = 0;
    if (withQueries) {
      log('queries (sequential, through the gateway)');
      rss.start();
      queries = await measureQueries(api, entities, seed, log);
      queriesPeak = rss.stop();
    }
    return {
      ingest: {
        mode,
        seconds: Math.round(seconds * 10) / 10,
        entitiesPerSecond: Math.round(count / seconds),
        finalEntities: served,
        withErrors: progress.withErrors,
        pushSeconds: pushSeconds === undefined ? undefined : Math.round(pushSeconds * 10) / 10,
        rssPeakMiB,
        tableWrites: writes,
        reingest: { seconds: Math.round(reSeconds * 10) / 10, finalRowsRewritten, reportedChanges },
      },
      queries,
      queriesPeak,
      steady: rss.current(),
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    rss.stop();
    await sql?.end();
    await portal.stop();
    if (options.keepDatabases) log(`kept the catalog database: ${portal.catalogDatabaseUrl}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function target(value: number | undefined, limit: number, label: string) {
  return { target: label, value, met: value === undefined ? undefined : value <= limit };
}

export async function runCatalogBench(options: CatalogBenchOptions): Promise<CatalogBenchResult> {
  const entities = generateEntities(options.count, options.seed);
  const result: CatalogBenchResult = {
    date: new Date().toISOString(),
    commit: commit(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    count: options.count,
    seed: options.seed,
    replicas: options.replicas,
    ingest: [],
    rss: { queriesPeakMiB: 0, steadyMiB: [] },
    targets: {},
  };
  for (const [i, mode] of options.modes.entries()) {
    const run = await runMode(mode, entities, options, i === 0);
    result.ingest.push(run.ingest);
    if (run.queries) {
      result.queries = run.queries;
      result.rss = { queriesPeakMiB: run.queriesPeak, steadyMiB: run.steady };
    }
  }
  const slowestIngest = Math.max(...result.ingest.map((i) => i.seconds));
  const rssPeak = Math.max(result.rss.queriesPeakMiB, ...result.ingest.map((i) => i.rssPeakMiB));
  const scale = options.count / 100_000;
  result.targets = {
    ingestSeconds: target(
      slowestIngest,
      120 * Math.max(scale, 0.1),
      `≤ ${Math.round(120 * Math.max(scale, 0.1))} s`,
    ),
    byQueryP99: target(result.queries?.byQueryPage.p99, 60, '≤ 60 ms'),
    facetsP99: target(result.queries?.facets.p99, 100, '≤ 100 ms'),
    byNameP99: target(result.queries?.byName.p99, 15, '≤ 15 ms'),
    rssMiB: target(rssPeak, 512, '≤ 512 MiB'),
    reingestRewrites: target(Math.max(...result.ingest.map((i) => i.reingest.finalRowsRewritten)), 0, '0'),
  };
  mkdirSync(options.outDir, { recursive: true });
  const file = resolve(
    options.outDir,
    `${result.date.slice(0, 19).replace(/[:T]/g, '-')}-catalog-${options.count}.json`,
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  options.log(`results written to ${file}`);
  return result;
}

/** The result as a table for the terminal. */
export function formatResult(result: CatalogBenchResult): string {
  const lines = [
    `Catalog bench: ${result.count.toLocaleString('en')} entities, seed ${result.seed}, ${result.replicas} replica(s), ${result.machine.cpus} cores, commit ${result.commit}`,
    '',
  ];
  for (const i of result.ingest) {
    lines.push(
      `ingest (${i.mode})`.padEnd(26) +
        `${i.seconds} s (${i.entitiesPerSecond}/s)${i.pushSeconds !== undefined ? `, pushes ${i.pushSeconds} s` : ''}, ` +
        `${i.finalEntities} served, ${i.withErrors} with errors, peak RSS ${i.rssPeakMiB} MiB`,
      `re-ingest (${i.mode})`.padEnd(26) +
        `${i.reingest.seconds} s, ${i.reingest.finalRowsRewritten} final rows rewritten` +
        (i.reingest.reportedChanges !== undefined ? `, ${i.reingest.reportedChanges} changes reported` : ''),
    );
  }
  const q = result.queries;
  if (q) {
    const row = (name: string, s: LatencySummary, extra = '') =>
      `${name.padEnd(26)}p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms  (n=${s.n})${extra}`;
    lines.push(
      row('by-query page of 100', q.byQueryPage, `, first page ${q.byQueryPage.firstPageMs} ms`),
      row('  first page, unfiltered', q.ownershipFilter.unfiltered),
      row(
        '  with ownership filter',
        q.ownershipFilter.filtered,
        `, ${q.ownershipFilter.matches} matches, p50 ratio ${q.ownershipFilter.ratioP50}`,
      ),
      row('by-refs (100 refs)', q.byRefs100),
      row('by-name', q.byName),
      row('facets (3 fields)', q.facets, `, first call ${q.facets.firstCallMs} ms`),
      `${'RSS during queries'.padEnd(26)}peak ${result.rss.queriesPeakMiB} MiB, after ${result.rss.steadyMiB.join(' / ')} MiB`,
    );
  }
  lines.push('', 'targets:');
  for (const [name, t] of Object.entries(result.targets)) {
    lines.push(
      `  ${name.padEnd(20)}${String(t.value ?? '-').padEnd(10)}${t.target.padEnd(14)}${t.met === undefined ? '' : t.met ? 'met' : 'NOT met'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
