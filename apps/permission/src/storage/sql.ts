import type { DataSource, QueryRunner } from 'typeorm';

/** Hand-written statements through the service's TypeORM DataSource (one connection per call). */
export interface Sql {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
}

class RunnerSql implements Sql {
  constructor(private readonly runner: QueryRunner) {}
  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(text, params, true);
    return (result.records ?? []) as T[];
  }
}

/** Runs `work` in one transaction; rolled back when it throws. */
export async function inTransaction<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      const result = await work(new RunnerSql(runner));
      await runner.commitTransaction();
      return result;
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}

/** Runs `work` on one pooled connection, outside a transaction. */
export async function withConnection<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    return await work(new RunnerSql(runner));
  } finally {
    await runner.release();
  }
}
