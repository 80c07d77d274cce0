import { pino } from 'pino';
import type { ConditionsApplier } from '../authorize/conditions-applier.js';
import { PolicyFileSource } from '../policy/policy-file-source.js';
import { PolicyService, type RuntimePolicy } from '../policy/policy-service.js';
import type { Subject } from '../policy/types.js';
import { ExplainService } from './explain-service.js';
import type { EntityFetcher } from './ownership-resolver.js';

const logger = pino({ level: 'silent' });
const runtime: RuntimePolicy = {
  currentVersion: () => 3,
  isLoaded: () => true,
  policy: () => ({
    roles: [{ name: 'team-a', members: ['group:default/team-a'], source: 'database' }],
    grants: [{ id: 'g', role: 'team-a', permission: 'catalog.location.read', source: 'database' }],
    conditions: [
      {
        id: 'c',
        role: 'team-a',
        resourceType: 'catalog-entity',
        conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } },
        source: 'database',
      },
    ],
  }),
};
const caller: Subject = {
  userEntityRef: 'user:default/admin',
  ownershipEntityRefs: ['user:default/admin'],
  otherSubjects: [],
  userToken: 'admin-token',
};
const read = {
  type: 'resource',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
};
const catalog: EntityFetcher = async (refs) =>
  refs.map((r) =>
    r === 'user:default/jane'
      ? { kind: 'User', metadata: { name: 'jane' }, spec: { memberOf: ['team-a'] } }
      : r === 'group:default/team-a'
        ? { kind: 'Group', metadata: { name: 'team-a' } }
        : null,
  );

function service(entities: EntityFetcher = catalog) {
  const applied: unknown[] = [];
  const applier = {
    apply: async (pluginId: string, items: Array<{ id: string }>, token?: string) => {
      applied.push({ pluginId, items, token });
      return new Map([[items[0]!.id, { result: 'ALLOW' as const }]]);
    },
  } as unknown as ConditionsApplier;
  const policy = new PolicyService({ file: new PolicyFileSource({ logger }), runtime, superUsers: [] });
  return { applied, explain: new ExplainService({ policy, applier, entities: () => entities }) };
}

describe('ExplainService', () => {
  it("resolves another user's groups from the catalog and explains roles, grants and conditions", async () => {
    const { explain, applied } = service();
    const answer = await explain.explain(
      { user: 'user:default/jane', permission: read, resourceRef: 'component:default/x' },
      caller,
      true,
    );
    expect(answer).toMatchObject({
      user: {
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
        resolvedFrom: 'catalog',
      },
      result: 'ALLOW',
      policyVersion: '3.none',
      explanation: {
        roles: [{ name: 'team-a', matchedBy: 'group:default/team-a' }],
        grants: [],
        conditionalGrants: [{ id: 'c' }],
        decision: {
          result: 'CONDITIONAL',
          conditions: { params: { claims: ['user:default/jane', 'group:default/team-a'] } },
        },
      },
      applyConditions: { pluginId: 'catalog', result: 'ALLOW' },
    });
    expect(applied).toEqual([
      {
        pluginId: 'catalog',
        items: [expect.objectContaining({ resourceRef: 'component:default/x' })],
        token: 'admin-token',
      },
    ]);
  });

  it('says so when the catalog is unreachable, and decides with the user ref alone', async () => {
    const { explain } = service(() => Promise.reject(new Error('No instance of plugin catalog')));
    const answer = await explain.explain(
      { user: 'user:default/jane', permission: { type: 'basic', name: 'catalog.location.read' } },
      caller,
      true,
    );
    expect(answer).toMatchObject({
      result: 'DENY',
      user: { resolvedFrom: 'unresolved', note: expect.stringContaining('catalog is unreachable') },
    });
  });

  it("refuses another user's decision to non-admins and checks the body", async () => {
    const { explain } = service();
    await expect(
      explain.explain({ user: 'user:default/jane', permission: read }, caller, false),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(explain.explain({ user: 'jane', permission: read }, caller, true)).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(explain.explain({ permission: { type: 'x' } }, caller, false)).rejects.toMatchObject({
      name: 'InputError',
    });
    // The caller's own decision needs no admin permission.
    expect((await explain.explain({ permission: read }, caller, false)).result).toBe('DENY');
  });
});
