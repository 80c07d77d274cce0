import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PolicyFileSource } from './policy-file-source.js';
import { PolicyService } from './policy-service.js';
import type { PolicySet } from './types.js';

const logger = pino({ level: 'silent' });
const policy = (permission: string) =>
  `roles: [{name: r, members: [user:default/jane]}]\ngrants: [{role: r, permission: ${permission}}]\n`;

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('PolicyFileSource', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
    file = join(dir, 'policy.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without a file: loaded, empty', async () => {
    const source = new PolicyFileSource({ logger });
    expect(await source.load()).toBe(true);
    expect(source.policy()).toEqual({ roles: [], grants: [], conditions: [] });
  });

  it('a missing file at start grants nothing (with the error shown) and comes into force once created', async () => {
    const source = new PolicyFileSource({ path: file, logger, debounceMs: 20 });
    expect(await source.load()).toBe(true);
    expect(source.status()).toMatchObject({ loaded: true, error: expect.stringContaining('does not exist') });
    expect(source.policy()).toEqual({ roles: [], grants: [], conditions: [] });
    source.watch();
    try {
      writeFileSync(file, policy('created'));
      await until(() => source.policy().grants[0]?.permission === 'created');
      expect(source.status().error).toBeUndefined();
      // Removed later: the policy it had stays.
      rmSync(file);
      await new Promise((r) => setTimeout(r, 200));
      await source.settled();
      expect(source.policy().grants[0]?.permission).toBe('created');
      expect(source.status().error).toContain('ENOENT');
    } finally {
      source.close();
    }
  });

  it('a broken file at start: nothing loaded, and the service denies everything (even superusers)', async () => {
    writeFileSync(file, 'roles: [');
    const broken = new PolicyFileSource({ path: file, logger });
    expect(await broken.load()).toBe(false);
    expect(broken.status()).toMatchObject({
      loaded: false,
      error: expect.stringContaining('not valid YAML'),
    });
    const service = new PolicyService({ file: broken, superUsers: ['user:default/jane'] });
    expect(service.isLoaded()).toBe(false);
    expect(
      service
        .engine()
        .decide(
          { type: 'basic', name: 'x', attributes: {} },
          { userEntityRef: 'user:default/jane', ownershipEntityRefs: [], otherSubjects: [] },
        ).result,
    ).toBe('DENY');
  });

  it('reloads on change, keeps the previous policy on a broken or invalid file, and recovers', async () => {
    writeFileSync(file, policy('first'));
    const changes: PolicySet[] = [];
    const source = new PolicyFileSource({
      path: file,
      logger,
      debounceMs: 20,
      onChange: (p) => changes.push(p),
      validate: (p) => {
        if (p.grants.some((g) => g.permission === 'forbidden')) throw new Error('forbidden grant');
      },
    });
    expect(await source.load()).toBe(true);
    const generation = source.generation();
    source.watch();
    try {
      writeFileSync(file, policy('second'));
      await until(() => source.policy().grants[0]?.permission === 'second');
      expect(source.generation()).not.toBe(generation);

      writeFileSync(file, 'roles: [ {name: r');
      await until(() => source.status().error !== undefined);
      expect(source.status().error).toContain('not valid YAML');
      expect(source.policy().grants[0]?.permission).toBe('second');

      writeFileSync(file, policy('forbidden'));
      await until(() => source.status().error?.includes('forbidden grant') ?? false);
      expect(source.policy().grants[0]?.permission).toBe('second');

      // Editors replace the file: a rename onto it is seen too.
      writeFileSync(join(dir, 'tmp.yaml'), policy('third'));
      renameSync(join(dir, 'tmp.yaml'), file);
      await until(() => source.policy().grants[0]?.permission === 'third');
      expect(source.status().error).toBeUndefined();
      expect(changes.map((c) => c.grants[0]?.permission)).toEqual(['first', 'second', 'third']);
    } finally {
      source.close();
    }
  });

  it('reads a CSV file (by its extension); a CSV broken mid-run keeps the previous policy, naming file and line', async () => {
    const csv = join(dir, 'rbac-policy.csv');
    const csvPolicy = (permission: string) =>
      `# roles\ng, user:default/jane, role:default/r\np, role:default/r, ${permission}, read, allow\n`;
    writeFileSync(csv, csvPolicy('catalog.location.read'));
    const source = new PolicyFileSource({ path: csv, logger, debounceMs: 20 });
    expect(await source.load()).toBe(true);
    expect(source.policy().roles).toEqual([{ name: 'r', members: ['user:default/jane'], source: 'file' }]);
    source.watch();
    try {
      writeFileSync(
        csv,
        csvPolicy('catalog.location.read') + 'p, role:default/r, catalog-entity, write, allow\n',
      );
      await until(() => source.status().error !== undefined);
      expect(source.status().error).toBe(
        `${csv}: line 4: the action 'write' must be one of create, read, update, delete, use`,
      );
      expect(source.policy().grants.map((g) => g.permission)).toEqual(['catalog.location.read']);

      writeFileSync(csv, csvPolicy('catalog.entity.read'));
      await until(() => source.policy().grants[0]?.permission === 'catalog.entity.read');
      expect(source.status().error).toBeUndefined();
    } finally {
      source.close();
    }
  });
});
