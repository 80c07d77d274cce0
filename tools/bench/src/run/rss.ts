// Resident memory of processes, sampled from /proc.
import { readFileSync } from 'node:fs';

/** The process's resident set size in MiB, or undefined when it cannot be read (gone, not Linux). */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of some processes every `intervalMs`; keeps the peak per phase. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private peak = 0;

  constructor(
    private readonly pids: () => number[],
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.peak = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling and returns the highest RSS of any one process since start(), in MiB. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return Math.round(this.peak);
  }

  /** The current RSS of each process, in MiB. */
  current(): number[] {
    return this.pids().map((pid) => Math.round(rssMiB(pid) ?? 0));
  }

  private sample(): void {
    for (const pid of this.pids()) this.peak = Math.max(this.peak, rssMiB(pid) ?? 0);
  }
}
