// Helpers for the change stream's tests: events written directly, held-open transactions.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { entityFor } from '../../processing/testing/seed.js';
import type { StreamHorizon } from '../stream-horizon.js';

export interface Queryable {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

const ids = new Map<string, string>();

/** A stable entity id per ref, for the events written here. */
export function idFor(ref: string): string {
  if (!ids.has(ref)) ids.set(ref, randomUUID());
  return ids.get(ref)!;
}

/** Appends one event (through `db`: a held transaction's client, or the pool); returns its id. */
export async function insertEvent(
  db: Queryable | DataSource,
  ref: string,
  options: { type?: string; version?: number; createdAt?: Date } = {},
): Promise<string> {
  const type = options.type ?? 'upserted';
  const entity = type === 'deleted' ? null : entityFor(ref, { version: options.version ?? 1 });
  const params = [idFor(ref), ref, type, entity && JSON.stringify(entity), 'test', options.createdAt ?? null];
  const text = `INSERT INTO entity_events (entity_id, entity_ref, type, final_entity, source, created_at)
                VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now())) RETURNING id::text AS id`;
  const result = (await (db as Queryable).query(text, params)) as
    { rows?: Array<{ id: string }> } | Array<{ id: string }>;
  const rows = Array.isArray(result) ? result : result.rows!;
  return rows[0]!.id;
}

/** A connection of its own with an open transaction that already has its xid (as a writer that locked rows). */
export async function openTransaction(dataSource: DataSource): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: (dataSource.options as { url: string }).url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return client;
}

/** Advances the horizon until it reaches `id` (bounded). */
export async function advanceTo(horizon: StreamHorizon, id: bigint, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((horizon.value ?? -1n) < id) {
    if (Date.now() > deadline) throw new Error(`horizon stuck at ${horizon.value} below ${id}`);
    await horizon.advance();
    if ((horizon.value ?? -1n) < id) await new Promise((r) => setTimeout(r, 30));
  }
}

/** Waits (bounded) until `probe` returns true. */
export async function eventually(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
