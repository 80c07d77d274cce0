import type { DataSource, QueryRunner } from 'typeorm';
import { sleep } from '@portal/platform';

/**
 * The one way the engine talks to PostgreSQL: hand-written statements through the service's
 * TypeORM DataSource (its pool), with rows and affected counts kept apart (TypeORM's plain
 * `query()` returns `[rows, count]` for UPDATE and DELETE but bare rows otherwise).
 */
export interface Sql {
  /** The rows a statement returns (SELECT, or RETURNING). */
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** How many rows a statement inserted, updated or deleted. */
  count(text: string, params?: unknown[]): Promise<number>;
}

class RunnerSql implements Sql {
  constructor(private readonly runner: QueryRunner) {}

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(text, params, true);
    return (result.records ?? []) as T[];
  }

  async count(text: string, params: unknown[] = []): Promise<number> {
    const result = await this.runner.query(text, params, true);
    return result.affected ?? 0;
  }
}

/** PostgreSQL's SQLSTATE of a failed statement, if the error carries one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code;
  if (typeof code === 'string') return code;
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof driver === 'string' ? driver : undefined;
}

/** Thrown inside a transaction to have it rolled back and run again (a read went stale). */
export class RetryTransaction extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryTransaction';
  }
}

/** Deadlock, serialization failure, or a stale read detected by the transaction itself. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryTransaction) return true;
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/**
 * A statement refused because of what it writes (data exceptions, integrity constraints, limits):
 * retrying it will not help, writing the other rows on their own will.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && ['22', '23', '54'].includes(state.slice(0, 2));
}

/** A short message for logs: never the statement's parameters (they hold whole entities). */
export function describeDatabaseError(error: unknown): string {
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  return state ? `${message} (SQLSTATE ${state})` : message;
}

export interface TransactionOptions {
  /** Attempts after the first one when the transaction fails in a retryable way; default 5. */
  retries?: number;
  /** Told about each retry (deadlocks are counted by the engine). */
  onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Runs `work` in one transaction (READ COMMITTED), committing when it returns and rolling back when
 * it throws. A deadlock or a RetryTransaction runs the whole function again, so `work` must have no
 * effects outside the database.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (sql: Sql) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await work(new RunnerSql(runner));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (attempt >= retries || !isRetryable(error)) throw error;
      options.onRetry?.(error, attempt + 1);
      await sleep(5 + Math.random() * 20 * (attempt + 1));
    } finally {
      await runner.release();
    }
  }
}

/** Runs `work` on one pooled connection without a transaction (each statement commits alone). */
export async function withConnection<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    return await work(new RunnerSql(runner));
  } finally {
    await runner.release();
  }
}
