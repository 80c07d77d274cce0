import { pino } from 'pino';
import { clearPolicy, useTestDatabase } from '../testing/test-database.js';
import type { PolicySet } from '../policy/types.js';
import { PolicyStore } from './policy-store.js';
import { RuntimePolicySync } from './runtime-policy-sync.js';

const logger = pino({ level: 'silent' });
const filePolicy: PolicySet = {
  roles: [{ name: 'from-file', members: [], source: 'file' }],
  grants: [{ id: 'file-grant-0', role: 'from-file', permission: 'x', source: 'file' }],
  conditions: [],
};
const rules = [
  {
    name: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    paramsSchema: { type: 'object', properties: { claims: { type: 'array' } }, required: ['claims'] },
  },
];

async function until(check: () => boolean, timeoutMs = 2000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('PolicyStore and RuntimePolicySync', () => {
  const db = useTestDatabase();
  let store: PolicyStore;
  const syncs: RuntimePolicySync[] = [];
  beforeEach(async () => {
    await clearPolicy(db().dataSource);
    store = new PolicyStore({
      dataSource: db().dataSource,
      filePolicy: () => filePolicy,
      rulesFor: (t) => (t === 'catalog-entity' ? rules : undefined),
    });
  });
  afterEach(async () => {
    await Promise.all(syncs.splice(0).map((s) => s.stop()));
  });

  it('changes roles and grants with an audit record each; the file policy is read-only (409)', async () => {
    await store.createRole('user:default/admin', { name: 'devs', members: ['group:default/a'] });
    await expect(store.createRole('user:default/admin', { name: 'devs' })).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.createRole('user:default/admin', { name: 'from-file' })).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.updateRole('user:default/admin', 'from-file', { members: [] })).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.deleteRole('user:default/admin', 'from-file')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.deleteGrant('user:default/admin', 'grant', 'file-grant-0')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.updateRole('user:default/admin', 'nope', { members: [] })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      store.updateRole('user:default/admin', 'devs', { name: 'other', members: [] }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      store.createRole('user:default/admin', { name: 'x', members: ['jane'] }),
    ).rejects.toMatchObject({ name: 'InputError' });

    const grant = await store.createGrant('user:default/admin', {
      role: 'from-file',
      permission: 'catalog.entity.read',
    });
    await expect(
      store.createGrant('user:default/admin', { role: 'ghost', permission: 'x' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    const condition = await store.createCondition('user:default/admin', {
      role: 'devs',
      resourceType: 'catalog-entity',
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } },
    });
    await expect(
      store.createCondition('user:default/admin', {
        role: 'devs',
        resourceType: 'catalog-entity',
        conditions: { rule: 'IS_ENTITY_OWNER', params: {} },
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await store.updateRole('user:default/bob', 'devs', { members: ['group:default/b'] });
    await store.deleteGrant('user:default/bob', 'grant', grant.id);
    await expect(store.deleteGrant('user:default/bob', 'grant', grant.id)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await store.deleteRole('user:default/bob', 'devs');

    const audit = await store.audit({ limit: 100 });
    expect(audit.map((a) => [a.actor, a.action, a.subject])).toEqual([
      ['user:default/bob', 'role.delete', 'devs'],
      ['user:default/bob', 'grant.delete', grant.id],
      ['user:default/bob', 'role.update', 'devs'],
      ['user:default/admin', 'condition.create', condition.id],
      ['user:default/admin', 'grant.create', grant.id],
      ['user:default/admin', 'role.create', 'devs'],
    ]);
    expect(audit[2]).toMatchObject({
      before: { members: ['group:default/a'] },
      after: { members: ['group:default/b'] },
    });
    expect(audit[0]).toMatchObject({ before: { name: 'devs' }, after: null });
  });

  it('every replica sees a change within a second through LISTEN/NOTIFY', async () => {
    const other = await db().connect();
    const versions: number[] = [];
    const a = new RuntimePolicySync({
      dataSource: db().dataSource,
      listenUrl: db().url,
      logger,
      pollMs: 60_000,
    });
    const b = new RuntimePolicySync({
      dataSource: other,
      listenUrl: db().url,
      logger,
      pollMs: 60_000,
      onChange: (v) => versions.push(v),
    });
    syncs.push(a, b);
    await a.start();
    await b.start();
    // Let LISTEN connect.
    await new Promise((r) => setTimeout(r, 300));
    await store.createRole('user:default/admin', { name: 'fresh', members: [] });
    const ms = await until(() => b.policy().roles.some((r) => r.name === 'fresh'));
    expect(ms).toBeLessThan(1000);
    expect(a.currentVersion()).toBe(b.currentVersion());
    expect(versions.at(-1)).toBe(b.currentVersion());
  });

  it('falls back to polling without LISTEN, and keeps the last policy while the database is unreachable', async () => {
    const other = await db().connect();
    const b = new RuntimePolicySync({ dataSource: other, logger, pollMs: 100 });
    syncs.push(b);
    await b.start();
    await store.createRole('user:default/admin', { name: 'polled', members: [] });
    await until(() => b.policy().roles.some((r) => r.name === 'polled'));
    await other.destroy();
    await new Promise((r) => setTimeout(r, 250));
    expect(b.isLoaded()).toBe(true);
    expect(b.policy().roles.map((r) => r.name)).toEqual(['polled']);
  });

  it('start fails while the database cannot be read (nothing loaded: fail closed)', async () => {
    const gone = await db().connect();
    await gone.destroy();
    const sync = new RuntimePolicySync({ dataSource: gone, logger });
    await expect(sync.start()).rejects.toThrow('runtime policy could not be loaded');
    expect(sync.isLoaded()).toBe(false);
  });
});
