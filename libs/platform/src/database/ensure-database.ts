import pg from 'pg';

/**
 * Creates the plugin's logical database when it is missing, connecting to the server's maintenance
 * database (the one named in the connection URL, usually `postgres`). Safe when several replicas race.
 */
export async function ensureDatabase(serverConnection: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverConnection, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      // The name was validated by databaseNameFor: only [a-z0-9_].
      await client.query(`CREATE DATABASE "${database}"`);
      return true;
    } catch (err) {
      // 42P04 duplicate_database / 23505: another replica created it first.
      const code = (err as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}
