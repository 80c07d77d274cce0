// A throwaway PostgreSQL database with every catalog migration, for the engine's tests.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(database: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly name: string;
  /** The first DataSource, migrated. */
  readonly dataSource: DataSource;
  /** Another pool on the same database (a second replica). */
  connect(poolSize?: number): Promise<DataSource>;
  /** Closes every DataSource opened here and drops the database. */
  drop(): Promise<void>;
}

/** Creates `portaltest_<random>_proc`, runs all catalog migrations through TypeORM. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const name = `portaltest_${randomBytes(6).toString('hex')}_proc`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const opened: DataSource[] = [];
  const connect = async (size = poolSize): Promise<DataSource> => {
    const dataSource = new DataSource({
      type: 'postgres',
      url: urlFor(name),
      migrations,
      migrationsTableName: 'migrations',
      synchronize: false,
      logging: false,
      extra: { max: size },
    });
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  };
  const dataSource = await connect();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    name,
    dataSource,
    connect,
    async drop() {
      for (const source of opened) if (source.isInitialized) await source.destroy();
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

const TABLES = ['refresh_state', 'refresh_state_references', 'relations', 'final_entities', 'entity_events'];

/** A point in the database's write history: the id of a transaction that started after it. */
export async function writeMark(dataSource: DataSource): Promise<number> {
  const [row]: Array<{ xid: string }> = await dataSource.query(
    'SELECT (txid_current() % 4294967296)::text AS xid',
  );
  return Number(row!.xid);
}

/** Per table: rows that exist and were inserted or updated after `mark` (their xmin is newer), and all rows. */
export type RowsWritten = Record<string, { written: number; total: number }>;

/**
 * Which rows of the catalog's tables were written after `mark`. Every insert or update gives a row
 * a new xmin, the id of the writing transaction, so counting rows whose xmin is newer than the mark
 * counts rows (re)written since; deletions show in `total`.
 */
export async function rowsWrittenSince(dataSource: DataSource, mark: number): Promise<RowsWritten> {
  const result: RowsWritten = {};
  for (const table of TABLES) {
    const [row]: Array<{ written: string; total: string }> = await dataSource.query(
      `SELECT count(*) FILTER (WHERE xmin::text::bigint > $1)::text AS written, count(*)::text AS total FROM ${table}`,
      [mark],
    );
    result[table] = { written: Number(row!.written), total: Number(row!.total) };
  }
  return result;
}
