// One service process under supervision: started, its output handed on line by line, restarted
// with a growing delay when it exits unexpectedly, and stopped with SIGTERM (SIGKILL after a grace
// period) when the runner shuts down.
//
// Each process runs in its own process group (`detached`), so a Ctrl-C at the terminal reaches
// only the runner, which then stops the services in order, and the database last.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RestartBackoff } from './backoff.mjs';

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function describeExit(code, signal) {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export class ManagedProcess {
  /**
   * @param {object} options
   * @param {string} options.name       the tag in the output, e.g. `catalog-1`
   * @param {string} options.command    executable (process.execPath for node)
   * @param {string[]} options.args
   * @param {string} options.cwd
   * @param {NodeJS.ProcessEnv} options.env
   * @param {(line: string, stream: 'stdout' | 'stderr') => void} options.onLine
   * @param {(message: string, level?: 'info' | 'warn' | 'error') => void} options.report
   * @param {RestartBackoff} [options.backoff]
   */
  constructor({ name, command, args, cwd, env, onLine, report, backoff = new RestartBackoff() }) {
    Object.assign(this, { name, command, args, cwd, env, onLine, report, backoff });
    this.child = undefined;
    this.startedAt = 0;
    this.starts = 0;
    this.stopping = false;
    this.restartTimer = undefined;
    this.exitWaiters = [];
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== undefined;
  }

  start() {
    if (this.stopping || this.child) return;
    this.starts += 1;
    this.startedAt = Date.now();
    const child = spawn(this.command, this.args, {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const streamsClosed = ['stdout', 'stderr'].map(
      (stream) =>
        new Promise((resolve) => {
          const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
          lines.on('line', (line) => this.onLine(line, stream));
          lines.on('close', resolve);
        }),
    );
    let done = false;
    const finish = (code, signal, error) => {
      if (done) return;
      done = true;
      // Output still buffered in the pipes belongs before the exit report; don't wait for it
      // forever, though (a grandchild might hold the pipe open).
      const flushed = Promise.race([Promise.all(streamsClosed), new Promise((r) => setTimeout(r, 500))]);
      flushed.then(() => this.onExit(child, code, signal, error));
    };
    child.once('exit', (code, signal) => {
      // Anything the service left behind in its process group goes with it.
      signalGroup(child.pid, 'SIGKILL');
      finish(code, signal);
    });
    child.once('error', (error) => finish(null, null, error));
  }

  onExit(child, code, signal, error) {
    if (this.child !== child) return;
    this.child = undefined;
    const uptime = Date.now() - this.startedAt;
    const waiters = this.exitWaiters.splice(0);
    for (const resolve of waiters) resolve({ code, signal });
    if (this.stopping) return;

    const delay = this.backoff.nextDelay(uptime);
    const why = error
      ? `could not be started (${error.message})`
      : `exited unexpectedly (${describeExit(code, signal)})`;
    this.report(
      `${this.name} ${why} after ${seconds(uptime)}; restarting in ${seconds(delay)} (crash #${this.backoff.failures} in a row)`,
      'error',
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.report(`restarting ${this.name}`);
      this.start();
    }, delay);
  }

  /** SIGTERM to the process group; SIGKILL after `graceMs`. Resolves once it has exited. */
  async stop(graceMs = 15_000) {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => this.exitWaiters.push(resolve));
    signalGroup(child.pid, 'SIGTERM');
    const killTimer = setTimeout(() => {
      this.report(`${this.name} did not stop within ${seconds(graceMs)}; sending SIGKILL`, 'warn');
      signalGroup(child.pid, 'SIGKILL');
    }, graceMs);
    const started = Date.now();
    const { code, signal } = await exited;
    clearTimeout(killTimer);
    const clean = code === 0 || signal === 'SIGTERM';
    this.report(
      `${this.name} stopped in ${seconds(Date.now() - started)}${clean ? '' : ` (${describeExit(code, signal)})`}`,
      clean ? 'info' : 'warn',
    );
  }

  /** Last resort when the runner is exiting abruptly: synchronous, no waiting. */
  killNow() {
    if (this.child) signalGroup(this.child.pid, 'SIGKILL');
  }
}
