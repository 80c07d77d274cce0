/**
 * Background loops report progress here; liveness fails when a loop that should tick has not for
 * longer than its allowance (a loop that stopped making progress), so an orchestrator restarts it.
 */
export class Liveness {
  private readonly loops = new Map<string, { last: number; allowanceMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  register(name: string, allowanceMs: number): () => void {
    this.loops.set(name, { last: this.now(), allowanceMs });
    return () => {
      const loop = this.loops.get(name);
      if (loop) loop.last = this.now();
    };
  }

  unregister(name: string): void {
    this.loops.delete(name);
  }

  stalled(): string[] {
    const now = this.now();
    return [...this.loops.entries()].filter(([, l]) => now - l.last > l.allowanceMs).map(([name]) => name);
  }
}
