// Helpers for the catalog's multi-process tests: generated organisations on disk, the relations
// they must end with, metrics scraped from a running process, and the catalog's database.
import { readdirSync } from 'node:fs';
import type { Entity } from '@portal/catalog-model';
import { KindRegistry, relationsOf, stringifyEntityRef } from '@portal/catalog-model';
import pg from 'pg';
import {
  generateEntities,
  LOCATION_FILE,
  renderCatalog,
  writeCatalog,
} from '../../../../tools/bench/src/index.js';
import { getJson } from '../../../../test/support/portal-process.js';

export interface GeneratedOrganisation {
  entities: Entity[];
  /** Every entity's ref (lowercase). */
  refs: string[];
  /** `type target` of every relation each entity must end with, by entity ref. */
  relations: Map<string, Set<string>>;
  /** The Location file listing the entity files, to register as a file location. */
  locationFile: string;
  /** The entity files written. */
  entityFiles: string[];
}

/**
 * Writes a deterministic organisation of `count` entities (the bench's generator) into `dir` as
 * `files` multi-document YAML files and a `catalog-info.yaml` Location listing them.
 */
export function writeGeneratedOrganisation(
  dir: string,
  options: { count: number; seed: number; files: number },
): GeneratedOrganisation {
  const entities = generateEntities(options.count, options.seed);
  writeCatalog(dir, renderCatalog(entities, { seed: options.seed, files: options.files }));
  return {
    entities,
    refs: entities.map((e) => stringifyEntityRef(e)),
    relations: expectedRelations(entities),
    locationFile: `${dir}/${LOCATION_FILE}`,
    entityFiles: readdirSync(dir)
      .filter((name) => name.startsWith('entities-'))
      .map((name) => `${dir}/${name}`),
  };
}

/** The relations each entity must be served with: its own forward ones and everyone's inverse ones. */
export function expectedRelations(entities: Entity[]): Map<string, Set<string>> {
  const kinds = new KindRegistry();
  const byRef = new Map<string, Set<string>>(entities.map((e) => [stringifyEntityRef(e), new Set()]));
  for (const entity of entities) {
    const { forward, inverse, problems } = relationsOf(entity, kinds);
    if (problems.length) throw new Error(`generated entity has bad refs: ${JSON.stringify(problems)}`);
    for (const r of [...forward, ...inverse]) byRef.get(r.source)?.add(`${r.type} ${r.target}`);
  }
  return byRef;
}

/** The relations of a served entity, as `type target` strings. */
export function servedRelations(entity: Entity): Set<string> {
  return new Set((entity.relations ?? []).map((r) => `${r.type} ${r.targetRef}`));
}

/** A counter or gauge from a process's Prometheus `/metrics` (summed over label sets). */
export async function scrapeMetric(baseUrl: string, name: string): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`GET ${baseUrl}/metrics: ${res.status}`);
  return metricValue(await res.text(), name);
}

export function metricValue(text: string, name: string): number {
  let found = false;
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    found = true;
    sum += Number(match[3]);
  }
  if (!found) throw new Error(`metric ${name} not exported`);
  return sum;
}

/** The engine's counters of one catalog process. */
export interface EngineFigures {
  processed: number;
  written: number;
  unchanged: number;
  stitched: number;
  retries: number;
  deadlocks: number;
  writeFailures: number;
}

export async function engineFigures(baseUrl: string): Promise<EngineFigures> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`GET ${baseUrl}/metrics: ${res.status}`);
  const text = await res.text();
  return {
    processed: metricValue(text, 'catalog_processing_entities_total'),
    written: metricValue(text, 'catalog_processing_written_total'),
    unchanged: metricValue(text, 'catalog_processing_unchanged_total'),
    stitched: metricValue(text, 'catalog_stitching_written_total'),
    retries: metricValue(text, 'catalog_transaction_retries_total'),
    deadlocks: metricValue(text, 'catalog_deadlocks_total'),
    writeFailures: metricValue(text, 'catalog_write_failures_total'),
  };
}

/** A user token from the gateway's guest provider. */
export async function guestToken(gatewayUrl: string): Promise<string> {
  const { status, body } = await getJson(`${gatewayUrl}/api/auth/guest/refresh`);
  if (status !== 200) throw new Error(`guest sign-in: ${status} ${JSON.stringify(body)}`);
  return body.backstageIdentity.token as string;
}

/** `totalItems` of an unfiltered by-query at `baseUrl` (a gateway or a catalog process). */
export async function visibleEntities(baseUrl: string, token: string): Promise<number> {
  const { status, body } = await getJson(`${baseUrl}/api/catalog/entities/by-query?limit=1&fields=kind`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (status !== 200) throw new Error(`by-query: ${status} ${JSON.stringify(body)}`);
  return body.totalItems as number;
}

/** by-refs in chunks; the items in request order (null for missing). */
export async function entitiesByRefs(
  baseUrl: string,
  token: string,
  refs: string[],
  fields?: string[],
): Promise<Array<Entity | null>> {
  const out: Array<Entity | null> = [];
  for (let i = 0; i < refs.length; i += 500) {
    const { status, body } = await getJson(`${baseUrl}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entityRefs: refs.slice(i, i + 500), ...(fields ? { fields } : {}) }),
    });
    if (status !== 200) throw new Error(`by-refs: ${status} ${JSON.stringify(body)}`);
    out.push(...(body.items as Array<Entity | null>));
  }
  return out;
}

/** A client of the catalog's own database (`<prefix>catalog` on the server of `databaseUrl`). */
export async function catalogDatabase(databaseUrl: string, prefix: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  url.pathname = `/${prefix}catalog`;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
