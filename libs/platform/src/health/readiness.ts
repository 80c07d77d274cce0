import { EventEmitter } from 'node:events';

/**
 * What a service must have before it takes traffic: each named check is false until its owner sets
 * it (migrations ran, registered with the gateway, database reachable, ...). Ready = all true.
 */
export class Readiness extends EventEmitter {
  private readonly checks = new Map<string, { ok: boolean; message: string }>();
  private shuttingDown = false;

  /** Declares a check that starts out failing. */
  require(name: string, message: string): void {
    if (!this.checks.has(name)) this.checks.set(name, { ok: false, message });
  }

  set(name: string, ok: boolean, message?: string): void {
    const prev = this.checks.get(name);
    const before = this.isReady();
    this.checks.set(name, { ok, message: message ?? prev?.message ?? name });
    if (before !== this.isReady()) this.emit('change', this.isReady());
  }

  markShuttingDown(): void {
    const before = this.isReady();
    this.shuttingDown = true;
    if (before) this.emit('change', false);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  isReady(): boolean {
    return !this.shuttingDown && [...this.checks.values()].every((c) => c.ok);
  }

  /** Why the service is not ready, for the readiness body and the logs. */
  reasons(): string[] {
    if (this.shuttingDown) return ['Service is shutting down'];
    return [...this.checks.values()].filter((c) => !c.ok).map((c) => c.message);
  }

  snapshot(): Record<string, boolean> {
    return Object.fromEntries([...this.checks.entries()].map(([k, v]) => [k, v.ok]));
  }
}
