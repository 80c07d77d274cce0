/** The built `portal-bench` executable, run as a process. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { KindRegistry, parseDescriptors, validateEntity } from '@portal/catalog-model';
import { ensureBuilt, runBenchProcess } from './testing/built-bench.js';

jest.setTimeout(120_000);

describe('portal-bench (the built executable)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-cli-'));
  const contents = (out: string) =>
    readdirSync(join(dir, out))
      .sort()
      .map((name) => [name, readFileSync(join(dir, out, name), 'utf8')]);

  beforeAll(() => ensureBuilt());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes byte-identical files for the same seed and count, and says what it wrote', () => {
    const args = ['generate', '--count', '500', '--seed', '7', '--files', '5'];
    const first = runBenchProcess([...args, '--out', 'a'], dir);
    const second = runBenchProcess([...args, '--out', 'b'], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toMatch(/^Generated 500 entities \(seed 7\) in [\d.]+ s: 10 Group, 50 User, /);
    expect(first.stdout).toContain(`Wrote 5 entity files and catalog-info.yaml to ${join(dir, 'a')}`);
    expect(contents('a').map(([name]) => name)).toEqual([
      'catalog-info.yaml',
      'entities-001.yaml',
      'entities-002.yaml',
      'entities-003.yaml',
      'entities-004.yaml',
      'entities-005.yaml',
    ]);
    expect(contents('b')).toEqual(contents('a'));
    const third = runBenchProcess(
      ['generate', '--count', '500', '--seed', '8', '--files', '5', '--out', 'c'],
      dir,
    );
    expect(third.code).toBe(0);
    expect(contents('c')).not.toEqual(contents('a'));
  });

  it('writes descriptors the catalog accepts, under a Location with relative targets', () => {
    const kinds = new KindRegistry();
    const files = contents('a');
    let entities = 0;
    for (const [name, text] of files) {
      for (const document of parseDescriptors(text!)) {
        if ('error' in document) throw new Error(`${name}: ${document.error}`);
        expect(validateEntity(document.entity, kinds)).toEqual([]);
        entities++;
      }
    }
    expect(entities).toBe(501);
    const [location] = parseDescriptors(files[0]![1]!);
    if (!location || !('entity' in location)) throw new Error('catalog-info.yaml holds no entity');
    expect(location.entity).toMatchObject({ kind: 'Location', spec: { targets: expect.any(Array) } });
    const targets = (location.entity.spec as { targets: string[] }).targets.map((target) =>
      target.replace('./', ''),
    );
    expect(targets).toEqual(files.slice(1).map(([name]) => name));
  });

  it('prints its help', () => {
    const result = runBenchProcess(['generate', '--help'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: portal-bench generate --out <dir>');
    const run = runBenchProcess(['run', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: portal-bench run');
    const permissions = runBenchProcess(['permissions', '--help'], dir);
    expect(permissions.code).toBe(0);
    expect(permissions.stdout).toContain('Usage: portal-bench permissions');
  });

  it.each([
    [['generate', '--count', '100'], '--out <dir> is required'],
    [['generate', '--out', 'x', '--count', '5'], '--count must be an integer from 10'],
    [['generate', '--out', 'x', '--seed', '-1'], "Option '--seed' argument is ambiguous"],
    [['generate', '--out', 'x', '--seed=-1'], '--seed must be an integer from 0 to 4294967295, not "-1"'],
    [['generate', '--out', 'x', '--seed', 'abc'], '--seed must be an integer from 0 to 4294967295'],
    [['generate', '--out', 'x', '--colour'], "Unknown option '--colour'"],
    [['ingest'], 'unknown command "ingest"'],
    [['run', '--mode', 'fast'], '--mode must be location, push or both, not "fast"'],
    [['run', '--replicas', '0'], '--replicas must be an integer from 1 to 8'],
    [['permissions', '--batch', '0'], '--batch must be an integer from 1 to 1000'],
    [[], 'Usage: portal-bench <command>'],
  ])('exits 2 for %j', (args, message) => {
    const result = runBenchProcess(args, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses to write files larger than the catalog reads', () => {
    const result = runBenchProcess(['generate', '--count', '12000', '--files', '1', '--out', 'big'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /entities-001\.yaml would hold 12000 entities in [\d.]+ MiB.*use more --files/,
    );
  });
});
