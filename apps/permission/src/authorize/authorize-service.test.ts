import { MemoryCache } from '@portal/platform';
import { pino } from 'pino';
import { PolicyFileSource } from '../policy/policy-file-source.js';
import { PolicyService, type RuntimePolicy } from '../policy/policy-service.js';
import type { Permission, PolicySet, Subject } from '../policy/types.js';
import { parseAuthorizeRequest } from './authorize-request.js';
import { AuthorizeService, subjectKey } from './authorize-service.js';
import type { ApplyItem, ConditionsApplier } from './conditions-applier.js';

const logger = pino({ level: 'silent' });
const jane: Subject = {
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: ['user:default/jane', 'group:default/a'],
  otherSubjects: [],
  userToken: 'jane-token',
};
const read: Permission = {
  type: 'resource',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
};
const create: Permission = { type: 'basic', name: 'catalog.entity.create', attributes: { action: 'create' } };
const other: Permission = {
  type: 'resource',
  name: 'scaffolder.template.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
};

class FakeRuntime implements RuntimePolicy {
  version = 1;
  loaded = true;
  set: PolicySet = {
    roles: [{ name: 'r', members: ['group:default/a'], source: 'database' }],
    grants: [],
    conditions: [
      {
        id: 'c1',
        role: 'r',
        resourceType: 'catalog-entity',
        conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } },
        source: 'database',
      },
      {
        id: 'c2',
        role: 'r',
        resourceType: 'scaffolder-template',
        conditions: { rule: 'X' },
        source: 'database',
      },
    ],
  };
  policy = () => this.set;
  currentVersion = () => this.version;
  isLoaded = () => this.loaded;
}

function setup() {
  const runtime = new FakeRuntime();
  const file = new PolicyFileSource({ logger });
  const policy = new PolicyService({ file, runtime, superUsers: [] });
  const calls: Array<{ pluginId: string; items: ApplyItem[]; token?: string }> = [];
  const applier = {
    apply: async (pluginId: string, items: ApplyItem[], token?: string) => {
      calls.push({ pluginId, items, token });
      return new Map(
        items.map((i) => [
          i.id,
          { result: String(i.resourceRef).endsWith('/mine') ? ('ALLOW' as const) : ('DENY' as const) },
        ]),
      );
    },
  } as unknown as ConditionsApplier;
  const cache = new MemoryCache();
  const service = new AuthorizeService({ policy, applier, cache, logger });
  return { runtime, file, policy, calls, service, cache };
}

describe('AuthorizeService', () => {
  it('answers every item in order with its id, applying conditions per plugin in one batch', async () => {
    const { service, calls } = setup();
    const out = await service.authorize(
      parseAuthorizeRequest({
        items: [
          { id: '1', permission: create },
          { id: '2', permission: read },
          { id: '3', permission: read, resourceRef: 'component:default/mine' },
          { id: '4', permission: read, resourceRef: 'component:default/theirs' },
          { id: '5', permission: other, resourceRef: 'template:default/mine' },
          { id: '6', permission: read, resourceRef: ['a:default/mine'] },
        ],
      }),
      jane,
    );
    expect(out).toEqual([
      { id: '1', result: 'DENY' },
      {
        id: '2',
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: jane.ownershipEntityRefs },
        },
      },
      { id: '3', result: 'ALLOW' },
      { id: '4', result: 'DENY' },
      { id: '5', result: 'ALLOW' },
      { id: '6', result: 'ALLOW' },
    ]);
    expect(calls.map((c) => [c.pluginId, c.items.map((i) => i.id), c.token])).toEqual([
      ['catalog', ['3', '4', '6'], 'jane-token'],
      ['scaffolder', ['5'], 'jane-token'],
    ]);
  });

  it('caches decisions and never serves one from an older policy version', async () => {
    const { service, runtime } = setup();
    expect((await service.decide(create, jane)).result).toBe('DENY');
    runtime.set = {
      ...runtime.set,
      grants: [{ id: 'g', role: 'r', permission: 'catalog.entity.create', source: 'database' }],
    };
    // Same version: the cached decision stands (the policy did not officially change).
    expect((await service.decide(create, jane)).result).toBe('DENY');
    runtime.version = 2;
    expect((await service.decide(create, jane)).result).toBe('ALLOW');
  });

  it('keys the cache by the subject identities: another group is another key', () => {
    expect(subjectKey(jane)).toBe(
      subjectKey({ ...jane, ownershipEntityRefs: [...jane.ownershipEntityRefs].reverse() }),
    );
    expect(subjectKey(jane)).not.toBe(subjectKey({ ...jane, ownershipEntityRefs: ['user:default/jane'] }));
    expect(subjectKey({ ownershipEntityRefs: [], otherSubjects: ['plugin:a'] })).not.toBe(
      subjectKey({ ownershipEntityRefs: [], otherSubjects: ['plugin:b'] }),
    );
  });

  it('denies everything until the policy is loaded (fail closed)', async () => {
    const { service, runtime } = setup();
    runtime.loaded = false;
    const out = await service.authorize(
      parseAuthorizeRequest({
        items: [
          { id: 'a', permission: read, resourceRef: 'x:default/mine' },
          { id: 'b', permission: read },
        ],
      }),
      jane,
    );
    expect(out).toEqual([
      { id: 'a', result: 'DENY' },
      { id: 'b', result: 'DENY' },
    ]);
  });

  it('survives a failing cache', async () => {
    const { policy } = setup();
    const broken = {
      get: async () => Promise.reject(new Error('down')),
      set: async () => Promise.reject(new Error('down')),
    } as never;
    const service = new AuthorizeService({ policy, applier: {} as never, cache: broken, logger });
    expect((await service.decide(read, jane)).result).toBe('CONDITIONAL');
  });
});
