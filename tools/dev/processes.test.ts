import { RestartBackoff } from './backoff.mjs';
import { ManagedProcess } from './processes.mjs';

// Real child processes (small inline node scripts) with a fast backoff.
function managed(script: string, lines: string[], reports: string[]) {
  return new ManagedProcess({
    name: 'test-1',
    command: process.execPath,
    args: ['-e', script],
    cwd: process.cwd(),
    env: process.env,
    onLine: (line: string) => lines.push(line),
    report: (message: string) => reports.push(message),
    backoff: new RestartBackoff({ initialMs: 50, maxMs: 200, resetAfterMs: 60_000 }),
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ManagedProcess', () => {
  it('restarts a process that exits unexpectedly, with growing delays', async () => {
    const lines: string[] = [];
    const reports: string[] = [];
    const proc = managed("console.log('started'); process.exit(3)", lines, reports);
    proc.start();
    await until(() => lines.filter((l) => l === 'started').length >= 3);
    await proc.stop(1000);
    const crashes = reports.filter((r) => r.includes('exited unexpectedly'));
    expect(crashes.length).toBeGreaterThanOrEqual(2);
    expect(crashes[0]).toMatch(/exit code 3.*restarting in 0\.1 s/);
    expect(crashes[1]).toMatch(/restarting in 0\.1 s \(crash #2/);
  });

  it('stops with SIGTERM and does not restart afterwards', async () => {
    const lines: string[] = [];
    const reports: string[] = [];
    const proc = managed(
      "process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);",
      lines,
      reports,
    );
    proc.start();
    await until(() => lines.includes('up'));
    await proc.stop(5000);
    expect(lines).toContain('bye');
    expect(proc.running).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(lines.filter((l) => l === 'up')).toHaveLength(1);
    expect(reports.some((r) => r.includes('exited unexpectedly'))).toBe(false);
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const reports: string[] = [];
    const proc = managed(
      "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);",
      lines,
      reports,
    );
    proc.start();
    await until(() => lines.includes('up'));
    const started = Date.now();
    await proc.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(reports.some((r) => r.includes('sending SIGKILL'))).toBe(true);
    expect(proc.running).toBe(false);
  });
});
