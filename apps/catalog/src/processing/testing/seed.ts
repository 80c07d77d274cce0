// Writes refresh_state rows, references and relations directly, for the operations' tests.
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { parseEntityRef, type Entity, type JsonObject } from '@portal/catalog-model';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A test database for one test file: created before all tests, dropped after. */
export function useTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  }, 60_000);
  return () => db!;
}

/** Empties every engine table between tests. */
export async function truncateAll(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    'TRUNCATE refresh_state, refresh_state_references, relations, entity_events, locations',
  );
  await dataSource.query('DELETE FROM final_entities');
}

/** A minimal valid entity for a ref like `component:default/a`. */
export function entityFor(ref: string, spec: JsonObject = {}): Entity {
  const { kind, namespace, name } = parseEntityRef(ref);
  const kindName = kind.charAt(0).toUpperCase() + kind.slice(1);
  return { apiVersion: 'backstage.io/v1alpha1', kind: kindName, metadata: { name, namespace }, spec };
}

export interface SeedRow {
  ref: string;
  id?: string;
  entity?: Entity;
  processed?: Entity | null;
  hash?: string;
  resultHash?: string | null;
  errors?: unknown[] | null;
  locationKey?: string | null;
  /** Seconds from now; default -1 (due). */
  nextUpdateIn?: number;
  /** Seconds from now, or null (nothing pending); default null. */
  nextStitchIn?: number | null;
}

/** Inserts refresh_state rows; returns their ids by ref. */
export async function seedEntities(dataSource: DataSource, rows: SeedRow[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const row of rows) {
    const id = row.id ?? randomUUID();
    ids.set(row.ref, id);
    const entity = row.entity ?? entityFor(row.ref);
    await dataSource.query(
      `INSERT INTO refresh_state (entity_id, entity_ref, unprocessed_entity, unprocessed_hash, processed_entity,
                                  result_hash, errors, location_key, next_update_at, next_stitch_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9),
               CASE WHEN $10::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $10::float8) END)`,
      [
        id,
        row.ref,
        JSON.stringify(entity),
        row.hash ?? 'h',
        row.processed === undefined ? null : row.processed === null ? null : JSON.stringify(row.processed),
        row.resultHash ?? null,
        row.errors ? JSON.stringify(row.errors) : null,
        row.locationKey ?? null,
        row.nextUpdateIn ?? -1,
        row.nextStitchIn ?? null,
      ],
    );
  }
  return ids;
}

/** Inserts references: `[source, target]` where a source starting with `provider:` is a source key. */
export async function seedReferences(dataSource: DataSource, pairs: Array<[string, string]>): Promise<void> {
  for (const [source, target] of pairs) {
    const provider = source.startsWith('provider:') ? source.slice('provider:'.length) : null;
    await dataSource.query(
      'INSERT INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref) VALUES ($1, $2, $3)',
      [provider, provider ? null : source, target],
    );
  }
}

/** Inserts relation rows `[originating id, source, type, target]`. */
export async function seedRelations(
  dataSource: DataSource,
  rows: Array<[string, string, string, string]>,
): Promise<void> {
  for (const row of rows) {
    await dataSource.query(
      'INSERT INTO relations (originating_entity_id, source_entity_ref, type, target_entity_ref) VALUES ($1, $2, $3, $4)',
      row,
    );
  }
}

/** Refs of rows with a pending stitch mark that is due now. */
export async function dueForStitching(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ entity_ref: string }> = await dataSource.query(
    'SELECT entity_ref FROM refresh_state WHERE next_stitch_at <= now() ORDER BY entity_ref',
  );
  return rows.map((row) => row.entity_ref);
}

/** Refs of rows due for processing now. */
export async function dueForProcessing(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ entity_ref: string }> = await dataSource.query(
    'SELECT entity_ref FROM refresh_state WHERE next_update_at <= now() ORDER BY entity_ref',
  );
  return rows.map((row) => row.entity_ref);
}

/** References as `source -> target` lines (a provider source as `provider:<key>`). */
export async function referenceLines(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ line: string }> = await dataSource.query(
    `SELECT coalesce('provider:' || source_key, source_entity_ref) || ' -> ' || target_entity_ref AS line
       FROM refresh_state_references ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}

/**
 * A small graph: provider `config` emits `location:default/root`, which emits components a and b
 * (b is also pushed by `push:x`); `component:default/orphan` has no emitter; a depends on b.
 */
export async function seedSmallGraph(dataSource: DataSource): Promise<Map<string, string>> {
  const ids = await seedEntities(dataSource, [
    { ref: 'location:default/root', locationKey: 'file:/root.yaml' },
    { ref: 'component:default/a', locationKey: 'file:/a.yaml' },
    { ref: 'component:default/b', locationKey: 'file:/b.yaml' },
    { ref: 'component:default/orphan' },
  ]);
  await seedReferences(dataSource, [
    ['provider:config', 'location:default/root'],
    ['location:default/root', 'component:default/a'],
    ['location:default/root', 'component:default/b'],
    ['provider:push:x', 'component:default/b'],
  ]);
  await seedRelations(dataSource, [
    [ids.get('component:default/a')!, 'component:default/a', 'dependsOn', 'component:default/b'],
    [ids.get('component:default/a')!, 'component:default/b', 'dependencyOf', 'component:default/a'],
  ]);
  return ids;
}
