import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root: services are started from there, where app-config.yaml lives. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const testDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export interface LogLine {
  level?: string;
  msg?: string;
  traceId?: string;
  requestId?: string;
  [key: string]: unknown;
}

/** One service process of the portal, started like the dev runner starts it. */
export class PortalProcess {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  private exit?: Promise<number | null>;

  private constructor(
    readonly app: string,
    readonly child: ChildProcess,
    readonly httpPort: number,
    readonly grpcPort: number,
  ) {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.raw.push(line);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a JSON line (a crash trace): kept in raw.
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(
    app: string,
    env: Record<string, string | undefined>,
    ports?: { http?: number; grpc?: number },
  ) {
    const httpPort = ports?.http ?? (await freePort());
    const grpcPort = ports?.grpc ?? (await freePort());
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'debug',
      ...env,
      PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
    };
    // Undefined means "not set" for the child, whatever this process has.
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--import', '@portal/platform/tracing', `apps/${app}/dist/main.js`],
      {
        cwd: repoRoot,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new PortalProcess(app, child, httpPort, grpcPort);
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitForLog(what: string, predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    return waitFor(`${this.app}: ${what}`, () => this.lines.find(predicate), timeoutMs);
  }

  /** Signals the process and waits for it to exit; returns its exit code (null when killed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.alive) this.child.kill(signal);
    return this.exit!;
  }

  logs(): string {
    return this.raw.join('\n');
  }
}

/** A database prefix of its own for a test run, and a way to drop what it created. */
export function testDatabasePrefix(): string {
  return `portaltest_${randomUUID().replace(/-/g, '').slice(0, 8)}_`;
}

export async function dropTestDatabases(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * The environment of a test portal: its own gateway ports, its own database prefix, fast
 * heartbeats, Redis only when asked for. `overrides` wins (undefined unsets a variable).
 */
export async function portalTestEnv(
  options: {
    databaseUrl?: string;
    prefix?: string;
    redis?: boolean;
    overrides?: Record<string, string | undefined>;
  } = {},
): Promise<{ env: Record<string, string | undefined>; gatewayPorts: { http: number; grpc: number } }> {
  const gatewayPorts = { http: await freePort(), grpc: await freePort() };
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'development',
    DATABASE_URL: options.databaseUrl ?? testDatabaseUrl,
    REDIS_URL: options.redis ? process.env.REDIS_URL : undefined,
    PORTAL_DISCOVERY_SECRET: `integration-test-secret-${randomUUID()}`,
    PORTAL_GATEWAY_GRPC: `127.0.0.1:${gatewayPorts.grpc}`,
    PORTAL_GATEWAY_URL: `http://127.0.0.1:${gatewayPorts.http}`,
    PORTAL_BASE_URL: `http://127.0.0.1:${gatewayPorts.http}`,
    APP_CONFIG_portal_discovery_heartbeatIntervalMs: '300',
    // Tests bring their own entities; the example organisation stays out unless a test asks.
    APP_CONFIG_catalog_locations: '[]',
    // app-config.yaml enables permissions for `npm start`; tests that start no permission service
    // keep Backstage's default (not enabled). Tests of enforcement turn it on in `overrides`.
    APP_CONFIG_permission_enabled: 'false',
    ...(options.prefix ? { APP_CONFIG_backend_database_prefix: options.prefix } : {}),
    ...options.overrides,
  };
  return { env, gatewayPorts };
}
