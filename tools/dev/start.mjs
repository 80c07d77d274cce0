#!/usr/bin/env node
// `npm start`: the whole portal on one machine, every service its own OS process.
//
//   1. builds everything (nx run-many -t build)
//   2. finds PostgreSQL (DATABASE_URL or POSTGRES_*), or starts an embedded one in .data/postgres
//   3. starts the gateway, waits for it, then every plugin service (<ID>_REPLICAS=N each)
//   4. prints the URL once the gateway reports every plugin ready
//   5. restarts a crashed service with backoff; Ctrl-C stops everything, the database last
//
// Options: --skip-build, --db-only (only the database: prints its URL and waits), --config <file>
// (repeatable, passed to every service). Environment: see `node tools/dev/start.mjs --help`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RestartBackoff } from './backoff.mjs';
import { gatewayReadinessUrl, isPortFree, isReady, pluginReadinessUrl, sleep } from './health.mjs';
import { colourEnabled, createPainter, formatLogLine, prefixLines } from './log-format.mjs';
import { ManagedProcess } from './processes.mjs';
import { provideDatabase, redactUrl } from './postgres.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GATEWAY = 'gateway';
const PLUGINS = ['catalog', 'permission', 'search', 'techdocs', 'scaffolder'];
const TAG_STYLES = {
  dev: 'bold',
  postgres: 'gray',
  gateway: 'cyan',
  catalog: 'green',
  permission: 'yellow',
  search: 'blue',
  techdocs: 'magenta',
  scaffolder: 'brightCyan',
};
const STOP_GRACE_MS = 15_000;

const HELP = `Usage: npm start [-- options]

Options:
  --skip-build       start from the existing apps/*/dist (no nx build)
  --db-only          only provide the database: print its URL and wait for Ctrl-C
  --config <file>    extra config file for every service (repeatable; replaces the default files)
  -h, --help         this text

Environment:
  DATABASE_URL, or POSTGRES_HOST/POSTGRES_PORT/POSTGRES_USER/POSTGRES_PASSWORD
                     use that PostgreSQL server instead of the embedded one
  PORTAL_EMBEDDED_PG_PORT   port of the embedded PostgreSQL (default 54329; data in .data/postgres)
  PORTAL_PORT, PORTAL_GRPC_PORT   gateway HTTP and gRPC ports (default 7007, 7008)
  <PLUGIN>_REPLICAS  processes per plugin, e.g. CATALOG_REPLICAS=3 (default 1; 0 leaves it out)
  PORTAL_DISCOVERY_SECRET   shared discovery secret (default: a random one per run)
  REDIS_URL          use Redis for caches and the gateway registry
  PORTAL_LOG_FORMAT=json    raw JSON log lines on stdout (runner messages go to stderr)
  LOG_LEVEL          the services' log level (default info)`;

// ---------------------------------------------------------------------------------------------
// Options

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      'skip-build': { type: 'boolean', default: false },
      'db-only': { type: 'boolean', default: false },
      config: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  fail(`${err.message}\n\n${HELP}`);
}
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

function parsePort(name, fallback) {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) fail(`${name} must be a port number`);
  return value;
}

function replicasOf(id) {
  const name = `${id.toUpperCase()}_REPLICAS`;
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 32)
    fail(`${name} must be a whole number from 0 to 32, not '${raw}'`);
  return n;
}

const gatewayPort = parsePort('PORTAL_PORT', 7007);
const gatewayGrpcPort = parsePort('PORTAL_GRPC_PORT', 7008);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const publicUrl = process.env.PORTAL_BASE_URL || `http://localhost:${gatewayPort}`;
const plugins = PLUGINS.map((id) => ({ id, replicas: replicasOf(id) })).filter((p) => p.replicas > 0);
const configArgs = args.config.flatMap((file) => ['--config', file]);

// ---------------------------------------------------------------------------------------------
// Output

const jsonLogs = process.env.PORTAL_LOG_FORMAT === 'json';
// With raw JSON, stdout carries only the services' log lines; everything else goes to stderr.
const out = process.stdout;
const info = jsonLogs ? process.stderr : process.stdout;
const colour = colourEnabled(info);
const paint = createPainter(colour);
const processNames = [
  'dev',
  'postgres',
  GATEWAY,
  ...plugins.flatMap((p) => Array.from({ length: p.replicas }, (_, i) => `${p.id}-${i + 1}`)),
];
const tagWidth = Math.max(...processNames.map((n) => n.length));

function say(message, level = 'info') {
  const style = { info: undefined, warn: 'yellow', error: 'red', ok: 'green' }[level];
  const text = message
    .split('\n')
    .map((line) => (style ? paint(style, line) : line))
    .join('\n');
  info.write(`${prefixLines(text, 'dev', { width: tagWidth, colour, style: TAG_STYLES.dev })}\n`);
}

function serviceLine(name, style, line, stream) {
  if (jsonLogs && stream === 'stdout' && line.trimStart().startsWith('{')) {
    out.write(`${line}\n`);
    return;
  }
  const target = jsonLogs ? process.stderr : out;
  const text = jsonLogs ? line : formatLogLine(line, { colour });
  target.write(`${prefixLines(text, name, { width: tagWidth, colour, style })}\n`);
}

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

const startedAt = Date.now();
const shutdownSignal = new AbortController();
/** @type {ManagedProcess[]} */
const services = [];
let buildChild;
let buildExited = Promise.resolve();
let databasePromise;
/** The embedded PostgreSQL, once there is one. */
let embeddedServer;
let shuttingDown = false;
let firstSignalAt = 0;

function killEverythingNow() {
  buildChild?.kill('SIGKILL');
  for (const service of services) service.killNow();
  embeddedServer?.killNow();
}

async function shutdown(reason, exitCode = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  shutdownSignal.abort();
  const stopping = Date.now();
  if (services.length === 0 && !embeddedServer && !buildChild) process.exit(exitCode);
  say(`${reason}: stopping`);
  if (buildChild) {
    buildChild.kill('SIGTERM');
    await buildExited;
  }
  // Plugins first (they deregister from the gateway), then the gateway, then the database.
  const pluginProcesses = services.filter((s) => s.name !== GATEWAY);
  await Promise.all(pluginProcesses.map((s) => s.stop(STOP_GRACE_MS)));
  await Promise.all(services.filter((s) => s.name === GATEWAY).map((s) => s.stop(STOP_GRACE_MS)));
  await databasePromise?.catch(() => undefined);
  await embeddedServer?.stop();
  say(`all stopped in ${elapsed(stopping)}`, 'ok');
  process.exit(exitCode);
}

function onSignal(signal) {
  if (!shuttingDown) {
    firstSignalAt = Date.now();
    void shutdown(`${signal} received`);
    return;
  }
  // `npm start` forwards the terminal's Ctrl-C, so one keypress can arrive twice.
  if (Date.now() - firstSignalAt < 1500) return;
  say('second interrupt: killing every process now', 'warn');
  killEverythingNow();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));
process.on('exit', killEverythingNow);
process.on('uncaughtException', (err) => {
  say(`dev runner error: ${err.stack ?? err}`, 'error');
  if (shuttingDown) {
    killEverythingNow();
    process.exit(1);
  }
  void shutdown('internal error', 1);
});

async function failStartup(message) {
  say(message, 'error');
  await shutdown('start-up failed', 1);
}

// ---------------------------------------------------------------------------------------------
// Steps

function runBuild() {
  return new Promise((resolveBuild) => {
    const nx = join(ROOT, 'node_modules', '.bin', 'nx');
    if (!existsSync(nx)) {
      resolveBuild({ ok: false, message: 'node_modules/.bin/nx is missing: run `npm ci` first' });
      return;
    }
    buildChild = spawn(nx, ['run-many', '-t', 'build'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      // The build's own progress output, straight to the terminal (stderr when stdout is JSON).
      stdio: jsonLogs ? ['ignore', 2, 2] : ['ignore', 'inherit', 'inherit'],
    });
    buildExited = new Promise((resolve) => buildChild.once('close', resolve));
    buildChild.once('error', (err) =>
      resolveBuild({ ok: false, message: `could not run nx: ${err.message}` }),
    );
    buildChild.once('exit', (code, signal) => {
      buildChild = undefined;
      resolveBuild(
        code === 0
          ? { ok: true }
          : { ok: false, message: `the build failed (${signal ?? `exit code ${code}`})` },
      );
    });
  });
}

function serviceEnv(databaseUrl, secret, { port, grpcPort }) {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV || 'development',
    HOST: process.env.HOST || '127.0.0.1',
    PORTAL_ADVERTISE_HOST: process.env.PORTAL_ADVERTISE_HOST || '127.0.0.1',
    PORT: String(port),
    GRPC_PORT: String(grpcPort),
    DATABASE_URL: databaseUrl,
    PORTAL_DISCOVERY_SECRET: secret,
    PORTAL_GATEWAY_GRPC: `127.0.0.1:${gatewayGrpcPort}`,
    PORTAL_GATEWAY_URL: gatewayUrl,
    PORTAL_BASE_URL: publicUrl,
  };
}

function createService(name, appId, env) {
  const service = new ManagedProcess({
    name,
    command: process.execPath,
    args: [
      '--enable-source-maps',
      '--import',
      '@portal/platform/tracing',
      `apps/${appId}/dist/main.js`,
      ...configArgs,
    ],
    cwd: ROOT,
    env,
    onLine: (line, stream) => serviceLine(name, TAG_STYLES[appId] ?? 'bold', line, stream),
    report: (message, level) => say(message, level),
    backoff: new RestartBackoff(),
  });
  services.push(service);
  service.start();
  return service;
}

async function waitForGateway() {
  let lastNotice = Date.now();
  while (!shuttingDown) {
    if (await isReady(gatewayReadinessUrl(gatewayUrl))) return true;
    if (Date.now() - lastNotice > 20_000) {
      say(`still waiting for the gateway at ${gatewayUrl} (${elapsed(startedAt)} so far)`, 'warn');
      lastNotice = Date.now();
    }
    await sleep(300, shutdownSignal.signal);
  }
  return false;
}

/**
 * Polls every plugin's readiness through the gateway; announces the URL once all are ready, then
 * keeps watching at a slower pace and reports a plugin that drops out or comes back.
 */
async function watchReadiness(servicesStartedAt) {
  const ready = new Map(plugins.map((p) => [p.id, false]));
  let announced = false;
  let lastNotice = Date.now();
  while (!shuttingDown) {
    const results = await Promise.all(plugins.map((p) => isReady(pluginReadinessUrl(gatewayUrl, p.id))));
    if (shuttingDown) return;
    plugins.forEach((p, i) => {
      const was = ready.get(p.id);
      ready.set(p.id, results[i]);
      if (results[i] && !was) say(announced ? `${p.id} is ready again` : `${p.id} ready`, 'ok');
      if (!results[i] && was) say(`${p.id} is not ready through the gateway`, 'warn');
    });
    const allReady = [...ready.values()].every(Boolean);
    if (allReady && !announced) {
      announced = true;
      announce(servicesStartedAt);
    }
    if (!allReady && !announced && Date.now() - lastNotice > 30_000) {
      const waiting = [...ready].filter(([, ok]) => !ok).map(([id]) => id);
      say(`still waiting for: ${waiting.join(', ')} (${elapsed(startedAt)} so far)`, 'warn');
      lastNotice = Date.now();
    }
    await sleep(announced ? 3000 : 500, shutdownSignal.signal);
  }
}

let databaseLabel = '';

function announce(servicesStartedAt) {
  const count = services.length;
  const line = '─'.repeat(64);
  const lines = [
    line,
    `Portal is running at ${paint('bold', publicUrl)}`,
    `gateway + ${plugins.length} plugins (${count} processes) ready in ${elapsed(servicesStartedAt)}` +
      ` (${elapsed(startedAt)} since npm start)`,
    `database: ${databaseLabel}`,
    'Press Ctrl-C to stop.',
    line,
  ];
  say(lines.join('\n'), 'ok');
}

// ---------------------------------------------------------------------------------------------
// Main

/** The gateway's ports must be free: otherwise another gateway would answer our readiness checks. */
async function gatewayPortsTaken() {
  for (const [name, port] of [
    ['PORTAL_PORT', gatewayPort],
    ['PORTAL_GRPC_PORT', gatewayGrpcPort],
  ]) {
    if (!(await isPortFree(port))) {
      return (
        `port ${port} on 127.0.0.1 is already in use (another \`npm start\` or a test running?). ` +
        `Stop it, or choose another port with ${name}.`
      );
    }
  }
  return undefined;
}

async function main() {
  if (!args['db-only']) {
    const taken = await gatewayPortsTaken();
    if (taken) return failStartup(taken);
  }

  if (!args['skip-build'] && !args['db-only']) {
    const buildStarted = Date.now();
    say('building all projects: nx run-many -t build');
    const result = await runBuild();
    if (shuttingDown) return;
    if (!result.ok) return failStartup(result.message);
    say(`build done in ${elapsed(buildStarted)}`, 'ok');
  }

  const missing = [GATEWAY, ...plugins.map((p) => p.id)]
    .map((id) => `apps/${id}/dist/main.js`)
    .filter((file) => !existsSync(join(ROOT, file)));
  if (!args['db-only'] && missing.length > 0) {
    return failStartup(`not built: ${missing.join(', ')}. Run without --skip-build, or \`npm run build\`.`);
  }

  databasePromise = provideDatabase({
    env: process.env,
    rootDir: ROOT,
    log: (message) => say(message),
    onEmbeddedServer: (server) => (embeddedServer = server),
    onServerLine: (line) => {
      // PostgreSQL's routine LOG lines (checkpoints, start-up) stay quiet; warnings and errors show.
      if (!/^\S+ \S+ \S+ \[\d+\] LOG: /.test(line))
        serviceLine('postgres', TAG_STYLES.postgres, line, 'stderr');
    },
  });
  let database;
  try {
    database = await databasePromise;
  } catch (err) {
    if (shuttingDown) return;
    return failStartup(err.message);
  }
  if (shuttingDown) return;
  databaseLabel =
    database.source === 'embedded'
      ? `embedded PostgreSQL, ${redactUrl(database.url)} (data in .data/postgres)`
      : `${redactUrl(database.url)} (from ${database.source})`;

  if (args['db-only']) {
    const line = '─'.repeat(64);
    const hint = database.server
      ? 'Press Ctrl-C to stop the database.'
      : '(an external server: nothing to keep running)';
    say(`${line}\nDATABASE_URL=${database.url}\n${hint}\n${line}`, 'ok');
    return;
  }

  let secret = process.env.PORTAL_DISCOVERY_SECRET;
  if (!secret) {
    secret = randomBytes(24).toString('base64url');
    say('PORTAL_DISCOVERY_SECRET not set: using a random secret for this run');
  } else if (secret.length < 16) {
    return failStartup('PORTAL_DISCOVERY_SECRET must be at least 16 characters long');
  }

  // Checked again: the build takes a while, and something may have taken the ports meanwhile.
  const taken = await gatewayPortsTaken();
  if (taken) return failStartup(taken);
  const servicesStartedAt = Date.now();
  say(`starting the gateway on ${gatewayUrl} (gRPC 127.0.0.1:${gatewayGrpcPort})`);
  createService(
    GATEWAY,
    GATEWAY,
    serviceEnv(database.url, secret, { port: gatewayPort, grpcPort: gatewayGrpcPort }),
  );
  if (!(await waitForGateway())) return;
  say(`gateway ready in ${elapsed(servicesStartedAt)}`, 'ok');

  const pluginEnv = serviceEnv(database.url, secret, { port: 0, grpcPort: 0 });
  for (const plugin of plugins) {
    for (let i = 1; i <= plugin.replicas; i++) createService(`${plugin.id}-${i}`, plugin.id, pluginEnv);
  }
  say(
    `started ${services.length - 1} plugin processes: ${services
      .slice(1)
      .map((s) => s.name)
      .join(', ')}`,
  );
  await watchReadiness(servicesStartedAt);
}

main().catch((err) => {
  void failStartup(err.stack ?? String(err));
});
