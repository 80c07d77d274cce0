// A throwaway PostgreSQL database with every permission migration, for the storage tests.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  readonly dataSource: DataSource;
  /** Another pool on the same database (a second replica). */
  connect(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `portaltest_${randomBytes(6).toString('hex')}_perm`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const opened: DataSource[] = [];
  const connect = async () => {
    const ds = new DataSource({
      type: 'postgres',
      url: url.toString(),
      migrations,
      migrationsTableName: 'migrations',
      extra: { max: 4 },
    });
    await ds.initialize();
    opened.push(ds);
    return ds;
  };
  const dataSource = await connect();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    url: url.toString(),
    dataSource,
    connect,
    async drop() {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      const client = new pg.Client({ connectionString: SERVER });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** One database for the test file, created before all and dropped after all. */
export function useTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 30_000);
  afterAll(async () => {
    await db?.drop();
  });
  return () => db!;
}

export async function clearPolicy(dataSource: DataSource): Promise<void> {
  await dataSource.query('TRUNCATE policy_roles, policy_grants, policy_audit');
}
