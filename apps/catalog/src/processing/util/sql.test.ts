import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import {
  describeDatabaseError,
  inTransaction,
  isDataError,
  isRetryable,
  RetryTransaction,
  sqlState,
  withConnection,
} from './sql.js';

describe('sql', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(4);
    await db.dataSource.query('CREATE TABLE t (n int PRIMARY KEY)');
  });
  afterAll(() => db.drop());
  beforeEach(() => db.dataSource.query('DELETE FROM t'));
  const count = async () => Number((await db.dataSource.query('SELECT count(*)::text AS n FROM t'))[0].n);

  it('gives rows and affected counts for every kind of statement', async () => {
    await withConnection(db.dataSource, async (sql) => {
      expect(await sql.count('INSERT INTO t VALUES (1), (2), (3)')).toBe(3);
      expect(await sql.rows('UPDATE t SET n = n + 10 WHERE n > $1 RETURNING n', [1])).toEqual([
        { n: 12 },
        { n: 13 },
      ]);
      expect(await sql.count('DELETE FROM t WHERE n > 10')).toBe(2);
      expect(await sql.rows('SELECT n FROM t')).toEqual([{ n: 1 }]);
    });
  });

  it('commits on return and rolls back on throw', async () => {
    await inTransaction(db.dataSource, (sql) => sql.count('INSERT INTO t VALUES (1)'));
    await expect(
      inTransaction(db.dataSource, async (sql) => {
        await sql.count('INSERT INTO t VALUES (2)');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await count()).toBe(1);
  });

  it('runs the work again after a retryable failure, and not after others', async () => {
    let attempts = 0;
    const retried: number[] = [];
    await inTransaction(
      db.dataSource,
      async (sql) => {
        attempts++;
        await sql.count('INSERT INTO t VALUES ($1)', [attempts]);
        if (attempts < 3)
          throw attempts === 1
            ? new RetryTransaction('stale')
            : Object.assign(new Error('deadlock'), { code: '40P01' });
      },
      { onRetry: (_, attempt) => retried.push(attempt) },
    );
    expect(attempts).toBe(3);
    expect(retried).toEqual([1, 2]);
    expect(await db.dataSource.query('SELECT n FROM t')).toEqual([{ n: 3 }]);

    let once = 0;
    await expect(
      inTransaction(db.dataSource, async () => {
        once++;
        throw new Error('plain');
      }),
    ).rejects.toThrow('plain');
    expect(once).toBe(1);
  });

  it('gives up after the allowed retries', async () => {
    let attempts = 0;
    await expect(
      inTransaction(
        db.dataSource,
        async () => {
          attempts++;
          throw new RetryTransaction('always');
        },
        { retries: 2 },
      ),
    ).rejects.toThrow('always');
    expect(attempts).toBe(3);
  });

  it('classifies errors by SQLSTATE', async () => {
    const failure = await withConnection(db.dataSource, (sql) =>
      sql.count('INSERT INTO t VALUES (NULL)'),
    ).catch((e: unknown) => e);
    expect(sqlState(failure)).toBe('23502');
    expect(isDataError(failure)).toBe(true);
    expect(isRetryable(failure)).toBe(false);
    expect(isRetryable({ code: '40001' })).toBe(true);
    expect(isDataError(new Error('ECONNREFUSED'))).toBe(false);
    expect(describeDatabaseError(failure)).toMatch(/null value .* \(SQLSTATE 23502\)$/);
    expect(describeDatabaseError(failure)).not.toMatch(/INSERT/);
  });
});
