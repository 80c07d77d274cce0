// Test support (not shipped behaviour): a throwaway catalog database with the real migrations, and
// a writer that stores entities the way the stitcher will.
import type { Entity } from '@portal/catalog-model';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import { buildSearchColumns } from '../search-document.js';

export const testServerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface CatalogTestDatabase {
  name: string;
  dataSource: DataSource;
  /** Destroys the data source and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `portaltest_<random>_<suffix>` and runs the catalog migrations in it. */
export async function createCatalogTestDatabase(suffix: string): Promise<CatalogTestDatabase> {
  const name = `portaltest_${randomBytes(6).toString('hex')}_${suffix}`;
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url: withDatabase(testServerUrl, name),
    migrations,
    migrationsTableName: 'migrations',
    logging: false,
    extra: { max: 4 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    name,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      const client = new pg.Client({ connectionString: testServerUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Gives the entity a uid (if it has none) and writes it as a stitched final entity. */
export async function insertEntities(dataSource: DataSource, entities: Entity[]): Promise<Entity[]> {
  const stored: Entity[] = [];
  for (const input of entities) {
    const entity: Entity = {
      ...input,
      metadata: { ...input.metadata, uid: input.metadata.uid ?? randomUUID() },
    };
    const { search, originals } = buildSearchColumns(entity);
    const kind = entity.kind.toLowerCase();
    const namespace = (entity.metadata.namespace || 'default').toLowerCase();
    const name = entity.metadata.name.toLowerCase();
    const json = JSON.stringify(entity);
    await dataSource.query(
      `INSERT INTO final_entities (entity_id, entity_ref, kind, namespace, name, final_entity, search, search_original, hash)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9)`,
      [
        entity.metadata.uid,
        `${kind}:${namespace}/${name}`,
        kind,
        namespace,
        name,
        json,
        JSON.stringify(search),
        JSON.stringify(originals),
        createHash('sha1').update(json).digest('hex'),
      ],
    );
    stored.push(entity);
  }
  await dataSource.query('ANALYZE final_entities');
  return stored;
}

type Spec = NonNullable<Entity['spec']>;

function entity(kind: string, name: string, spec: Spec, metadata: Partial<Entity['metadata']> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, ...metadata } as Entity['metadata'],
    spec,
    relations: [],
  };
}

function relate(from: Entity, type: string, to: string): void {
  from.relations!.push({ type, targetRef: to });
}

/**
 * A small, realistic organisation in mixed case: groups, users with memberships, a system,
 * components, APIs and a resource, with tags, annotations, titles, relations both ways, and a few
 * oddities (a type spelled `Service`, a description over 200 characters, an entity without a type).
 */
export function fixtureCatalog(): Entity[] {
  const teamA = entity(
    'Group',
    'Team-A',
    { type: 'team', children: [], profile: { displayName: 'Team A' } },
    { title: 'Team A', description: 'Owns the pet store.' },
  );
  const teamB = entity('Group', 'team-b', { type: 'team', children: [] });
  const infra = entity('Group', 'infra', { type: 'team', children: [] }, { namespace: 'platform' });
  const jdoe = entity(
    'User',
    'jdoe',
    { profile: { displayName: 'John Doe', email: 'jdoe@example.com' }, memberOf: ['team-a'] },
    { title: 'John Doe' },
  );
  const asmith = entity('User', 'asmith', {
    profile: { displayName: 'Ann Smith' },
    memberOf: ['team-b', 'team-a'],
  });
  const system = entity('System', 'petstore-system', { owner: 'team-a' }, { title: 'Pet Store System' });
  const petstore = entity(
    'Component',
    'petstore',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'petstore-system',
      providesApis: ['petstore-api'],
    },
    {
      title: 'Pet Store',
      tags: ['java', 'spring'],
      annotations: {
        'backstage.io/techdocs-ref': 'dir:.',
        'backstage.io/source-location': 'url:https://github.com/Acme/PetStore/tree/main/',
        'github.com/project-slug': 'Acme/PetStore',
      },
      links: [{ url: 'https://petstore.example.com', title: 'Shop' }],
      labels: { tier: '1' },
    },
  );
  const wayback = entity(
    'Component',
    'Wayback-Search',
    { type: 'website', lifecycle: 'experimental', owner: 'team-b', consumesApis: ['search-grpc'] },
    { tags: ['react', 'typescript'], description: 'Search the 100% archive_of old_pages' },
  );
  const buildTools = entity(
    'Component',
    'build-tools',
    { type: 'library', lifecycle: 'production', owner: 'group:platform/infra' },
    { namespace: 'platform', tags: ['go'], title: 'Build Tools' },
  );
  const legacy = entity(
    'Component',
    'legacy-billing',
    { type: 'Service', lifecycle: 'deprecated', owner: 'team-a', dependsOn: ['resource:billing-db'] },
    {
      tags: ['java'],
      annotations: { 'backstage.io/orphan': 'true' },
      description: `Legacy billing. ${'It does a great many things. '.repeat(8)}`,
    },
  );
  const untyped = entity('Component', 'untyped-thing', { lifecycle: 'experimental', owner: 'team-b' });
  const petstoreApi = entity(
    'API',
    'petstore-api',
    {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'petstore-system',
      definition: 'x'.repeat(500),
    },
    { title: 'Pet Store API', tags: ['rest'] },
  );
  const searchGrpc = entity('API', 'search-grpc', {
    type: 'grpc',
    lifecycle: 'production',
    owner: 'team-b',
    definition: 'syntax = "proto3";',
  });
  const billingDb = entity(
    'Resource',
    'billing-db',
    { type: 'database', owner: 'team-a' },
    { title: 'Billing DB' },
  );

  const ownedBy = (e: Entity, group: string) => {
    relate(e, 'ownedBy', group);
  };
  for (const e of [system, petstore, legacy, petstoreApi, billingDb]) ownedBy(e, 'group:default/team-a');
  for (const e of [wayback, untyped, searchGrpc]) ownedBy(e, 'group:default/team-b');
  ownedBy(buildTools, 'group:platform/infra');
  for (const e of [system, petstore, legacy, petstoreApi, billingDb]) {
    relate(teamA, 'ownerOf', `${e.kind.toLowerCase()}:default/${e.metadata.name.toLowerCase()}`);
  }
  for (const e of [wayback, untyped, searchGrpc]) {
    relate(teamB, 'ownerOf', `${e.kind.toLowerCase()}:default/${e.metadata.name.toLowerCase()}`);
  }
  relate(infra, 'ownerOf', 'component:platform/build-tools');
  relate(jdoe, 'memberOf', 'group:default/team-a');
  relate(asmith, 'memberOf', 'group:default/team-b');
  relate(asmith, 'memberOf', 'group:default/team-a');
  relate(teamA, 'hasMember', 'user:default/jdoe');
  relate(teamA, 'hasMember', 'user:default/asmith');
  relate(teamB, 'hasMember', 'user:default/asmith');
  relate(petstore, 'partOf', 'system:default/petstore-system');
  relate(petstoreApi, 'partOf', 'system:default/petstore-system');
  relate(system, 'hasPart', 'component:default/petstore');
  relate(system, 'hasPart', 'api:default/petstore-api');
  relate(petstore, 'providesApi', 'api:default/petstore-api');
  relate(petstoreApi, 'apiProvidedBy', 'component:default/petstore');
  relate(wayback, 'consumesApi', 'api:default/search-grpc');
  relate(searchGrpc, 'apiConsumedBy', 'component:default/wayback-search');
  relate(legacy, 'dependsOn', 'resource:default/billing-db');
  relate(billingDb, 'dependencyOf', 'component:default/legacy-billing');

  return [
    teamA,
    teamB,
    infra,
    jdoe,
    asmith,
    system,
    petstore,
    wayback,
    buildTools,
    legacy,
    untyped,
    petstoreApi,
    searchGrpc,
    billingDb,
  ];
}

/** `n` plain services `svc-000`…, every third without a title, for paging through many pages. */
export function manyServices(n: number): Entity[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `svc-${String(i).padStart(3, '0')}`;
    const e = entity(
      'Component',
      name,
      { type: i % 4 === 0 ? 'website' : 'service', lifecycle: 'production', owner: 'team-b' },
      i % 3 === 0 ? {} : { title: `Service ${String.fromCharCode(65 + ((i * 7) % 26))}${i}` },
    );
    relate(e, 'ownedBy', 'group:default/team-b');
    return e;
  });
}
