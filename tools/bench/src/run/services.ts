// The portal processes a bench run measures: a gateway and catalog replicas, started from the
// built apps the way the dev runner starts them, on a database of their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root (services start there, where app-config.yaml is). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

export async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

class ServiceProcess {
  private readonly tail: string[] = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly httpPort: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  lastLines(): string {
    return this.tail.slice(-10).join('\n');
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface PortalUnderTestOptions {
  /** A PostgreSQL server URL (the bench creates and drops its own databases there). */
  databaseUrl: string;
  /** APP_CONFIG_* overrides for the catalog. */
  catalogConfig: Record<string, unknown>;
  /** The static token the bench calls with. */
  token: string;
  replicas: number;
  /** Extra Node.js arguments for the catalog processes (`--cpu-prof`, say). */
  catalogNodeArgs?: string[];
  /** Leave the databases behind on stop (to inspect plans and data afterwards). */
  keepDatabases?: boolean;
}

/** A gateway and `replicas` catalog processes on a fresh database prefix. */
export class PortalUnderTest {
  readonly prefix = `bench_${randomBytes(4).toString('hex')}_`;
  private gateway?: ServiceProcess;
  readonly catalogs: ServiceProcess[] = [];
  private readonly others: ServiceProcess[] = [];
  private env: NodeJS.ProcessEnv = {};

  constructor(private readonly options: PortalUnderTestOptions) {}

  get gatewayUrl(): string {
    return this.gateway!.url;
  }

  /** A connection string for the catalog's own database. */
  get catalogDatabaseUrl(): string {
    const url = new URL(this.options.databaseUrl);
    url.pathname = `/${this.prefix}catalog`;
    return url.toString();
  }

  catalogPids(): number[] {
    return this.catalogs.filter((c) => c.alive).map((c) => c.child.pid!);
  }

  async startGateway(): Promise<void> {
    const http = await freePort();
    const grpc = await freePort();
    this.env = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.options.databaseUrl,
      REDIS_URL: undefined,
      PORTAL_DISCOVERY_SECRET: `bench-${randomBytes(12).toString('hex')}`,
      PORTAL_GATEWAY_GRPC: `127.0.0.1:${grpc}`,
      PORTAL_GATEWAY_URL: `http://127.0.0.1:${http}`,
      PORTAL_BASE_URL: `http://127.0.0.1:${http}`,
      APP_CONFIG_backend_database_prefix: this.prefix,
      APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
        { type: 'static', options: { token: this.options.token, subject: 'bench' } },
      ]),
    };
    this.gateway = await this.spawn('gateway', 'gateway', { PORT: String(http), GRPC_PORT: String(grpc) });
    await poll(
      'the gateway',
      async () => (await fetch(`${this.gateway!.url}/.backstage/health/v1/readiness`)).ok,
      60_000,
    );
  }

  /** The discovery secret and the gateway's gRPC address, for a process that registers itself. */
  get discovery(): { secret: string; gatewayAddress: string } {
    return { secret: this.env.PORTAL_DISCOVERY_SECRET!, gatewayAddress: this.env.PORTAL_GATEWAY_GRPC! };
  }

  /** Starts one more service (`apps/<app>`) with extra environment and waits until it is ready. */
  async startApp(app: string, extra: NodeJS.ProcessEnv): Promise<void> {
    const service = await this.spawn(app, app, {
      PORT: String(await freePort()),
      GRPC_PORT: String(await freePort()),
      ...extra,
    });
    this.others.push(service);
    await poll(
      `${app} to be ready`,
      async () => {
        if (!service.alive) throw new Error(`${app} exited:\n${service.lastLines()}`);
        return (await fetch(`${service.url}/.backstage/health/v1/readiness`)).ok;
      },
      120_000,
    );
  }

  /** Starts the catalog replicas (without waiting: ingestion may begin at once). */
  async startCatalogs(): Promise<void> {
    const overrides = Object.fromEntries(
      Object.entries(this.options.catalogConfig).map(([key, value]) => [
        `APP_CONFIG_catalog_${key}`,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    for (let i = 0; i < this.options.replicas; i++) {
      this.catalogs.push(
        await this.spawn(
          `catalog-${i + 1}`,
          'catalog',
          { PORT: String(await freePort()), GRPC_PORT: String(await freePort()), ...overrides },
          this.options.catalogNodeArgs,
        ),
      );
    }
  }

  async waitForCatalogs(timeoutMs = 120_000): Promise<void> {
    for (const catalog of this.catalogs) {
      await poll(
        `${catalog.name} to be ready`,
        async () => {
          if (!catalog.alive) throw new Error(`${catalog.name} exited:\n${catalog.lastLines()}`);
          return (await fetch(`${catalog.url}/.backstage/health/v1/readiness`)).ok;
        },
        timeoutMs,
      );
    }
    await poll(
      'the gateway to route to the catalog',
      async () =>
        (
          await fetch(`${this.gatewayUrl}/api/catalog/.backstage/health/v1/readiness`, {
            headers: { authorization: `Bearer ${this.options.token}` },
          })
        ).ok,
      30_000,
    );
  }

  /** Sums a counter over the catalog replicas' /metrics. */
  async catalogCounter(name: string): Promise<number> {
    let total = 0;
    for (const catalog of this.catalogs.filter((c) => c.alive)) {
      const text = await (await fetch(`${catalog.url}/metrics`)).text();
      for (const line of text.split('\n')) {
        if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
          total += Number(line.split(' ').pop());
      }
    }
    return total;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.catalogs, ...this.others].map((c) => c.stop()));
    await this.gateway?.stop();
    if (this.options.keepDatabases) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${this.prefix}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }

  private async spawn(
    name: string,
    app: string,
    extra: NodeJS.ProcessEnv,
    nodeArgs: string[] = [],
  ): Promise<ServiceProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, ...extra };
    for (const [key, value] of Object.entries({ ...this.env, ...extra }))
      if (value === undefined) delete env[key];
    const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, `apps/${app}/dist/main.js`], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child, Number(extra.PORT));
  }
}
