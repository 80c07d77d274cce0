// Shared pieces of the engine's tests: entities, an engine on a test database, readers of results.
import type { DataSource } from 'typeorm';
import { pino } from 'pino';
import { KindRegistry, type Entity } from '@portal/catalog-model';
import { Config, FileReader, Liveness, UrlReader, type JsonObject, type Logger } from '@portal/platform';
import { CatalogEngine, type CatalogEngineOptions } from '../catalog-engine.js';
import type { EngineSettings } from '../engine-settings.js';

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function component(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...metadata },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a', ...spec },
  } as Entity;
}

export function group(name: string, spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [], ...spec },
  } as Entity;
}

/** Test defaults: a long interval (nothing comes due again by itself), small polls. */
export const TEST_SETTINGS: Partial<EngineSettings> = {
  processingIntervalSeconds: 3600,
  processingJitterSeconds: 0,
  processingPollMs: 20,
  stitchPollMs: 20,
  stitchSettleMs: 0,
  stitchBulkSettleMs: 0,
};

export interface TestEngineOptions {
  config?: JsonObject;
  settings?: Partial<EngineSettings>;
  fileRoots?: string[];
  urlReader?: UrlReader;
  extra?: Partial<CatalogEngineOptions>;
}

export function testEngine(dataSource: DataSource, options: TestEngineOptions = {}): CatalogEngine {
  return new CatalogEngine({
    dataSource,
    config: Config.fromObject(options.config ?? {}),
    logger: silentLogger(),
    liveness: new Liveness(),
    kinds: new KindRegistry(),
    urlReader: options.urlReader ?? new UrlReader({ allow: [] }),
    fileReader: new FileReader(options.fileRoots ?? []),
    settings: { ...TEST_SETTINGS, ...options.settings },
    ...options.extra,
  });
}

/** The served entities by ref. */
export async function finalEntities(dataSource: DataSource): Promise<Map<string, Entity>> {
  const rows: Array<{ entity_ref: string; final_entity: Entity }> = await dataSource.query(
    'SELECT entity_ref, final_entity FROM final_entities ORDER BY entity_ref',
  );
  return new Map(rows.map((row) => [row.entity_ref, row.final_entity]));
}

export interface StoredEvent {
  id: number;
  entityRef: string;
  type: string;
  source: string | null;
  finalEntity: Entity | null;
}

export async function entityEvents(dataSource: DataSource): Promise<StoredEvent[]> {
  const rows: Array<{
    id: string;
    entity_ref: string;
    type: string;
    source: string | null;
    final_entity: Entity | null;
  }> = await dataSource.query(
    'SELECT id, entity_ref, type, source, final_entity FROM entity_events ORDER BY id',
  );
  return rows.map((row) => ({
    id: Number(row.id),
    entityRef: row.entity_ref,
    type: row.type,
    source: row.source,
    finalEntity: row.final_entity,
  }));
}

/** `<ref> <type>` per event, in outbox order. */
export async function eventLog(dataSource: DataSource): Promise<string[]> {
  return (await entityEvents(dataSource)).map((e) => `${e.entityRef} ${e.type}`);
}

/** A refresh_state row's processing state. */
export async function stateOf(
  dataSource: DataSource,
  entityRef: string,
): Promise<
  | {
      processed: Entity | null;
      errors: Array<{ name: string; message: string }> | null;
      resultHash: string | null;
    }
  | undefined
> {
  const rows: Array<{ processed_entity: Entity | null; errors: never; result_hash: string | null }> =
    await dataSource.query(
      'SELECT processed_entity, errors, result_hash FROM refresh_state WHERE entity_ref = $1',
      [entityRef],
    );
  const row = rows[0];
  return row
    ? { processed: row.processed_entity, errors: row.errors, resultHash: row.result_hash }
    : undefined;
}

/** Relations as `source type target` lines. */
export async function relationLines(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ line: string }> = await dataSource.query(
    `SELECT DISTINCT source_entity_ref || ' ' || type || ' ' || target_entity_ref AS line FROM relations ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Makes every entity due for processing now (as if the processing interval had passed). */
export async function makeAllDue(dataSource: DataSource): Promise<void> {
  await dataSource.query("UPDATE refresh_state SET next_update_at = now() - interval '1 second'");
}
