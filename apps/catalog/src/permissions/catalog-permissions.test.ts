import type { Entity } from '@portal/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  PermissionsService,
  type GrpcClients,
  type Principal,
} from '@portal/platform';
import type { FilterPredicate } from '../entities/query/filter-predicate.js';
import { CatalogPermissions, MATCH_NOTHING } from './catalog-permissions.js';
import { catalogEntityDeletePermission, catalogLocationCreatePermission } from './permissions.js';

const owned = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: {},
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const entities = [owned('a', 'group:default/team-a'), owned('b', 'group:default/team-b')];
const ref = (e: Entity) => `component:default/${e.metadata.name}`;

const ownerA = {
  rule: 'IS_ENTITY_OWNER',
  resourceType: 'catalog-entity',
  params: { claims: ['group:default/team-a'] },
};

/** A permission service answering every item with `answer(permissionName)`. */
function permissionsAnswering(answer: (name: string) => Record<string, string>) {
  const unary = (async (
    _p: unknown,
    _c: unknown,
    _m: unknown,
    request: { items: Array<{ id: string; permissionJson: string }> },
  ) => ({
    items: request.items.map((item) => ({
      id: item.id,
      ...answer(JSON.parse(item.permissionJson).name as string),
    })),
  })) as unknown as GrpcClients['unary'];
  return new PermissionsService({ enabled: true, grpcClients: { unary } });
}

/** byRefs / byUid over the array, with a tiny evaluator for the predicates our rules produce. */
const reader = {
  lastFilter: undefined as FilterPredicate | undefined,
  async byRefs(
    refs: readonly string[],
    _fields?: string[],
    _filter?: FilterPredicate,
    permission?: FilterPredicate,
  ) {
    this.lastFilter = permission;
    return {
      items: refs.map((r) => {
        const e = entities.find((x) => ref(x) === r.toLowerCase());
        if (!e) return null;
        if (permission === MATCH_NOTHING) return null;
        if (permission && !JSON.stringify(permission).includes(e.relations![0]!.targetRef)) return null;
        return e;
      }),
    };
  },
  async byUid(uid: string, permission?: FilterPredicate) {
    const e = entities.find((x) => x.metadata.uid === uid);
    if (!e || (permission && !JSON.stringify(permission).includes(e.relations![0]!.targetRef)))
      return undefined;
    return e;
  },
};

const user: Principal = {
  type: 'user',
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: [],
  token: 'x.y.z',
};

describe('CatalogPermissions', () => {
  it('reads everything when permissions are disabled', async () => {
    const perms = new CatalogPermissions(
      new PermissionsService({
        enabled: false,
        grpcClients: {
          unary: (() => {
            throw new Error('no call');
          }) as never,
        },
      }),
      reader,
    );
    const access = await perms.readAccess(user);
    expect(access.filter).toBeUndefined();
    expect(access.allows(null)).toBe(true);
    await perms.authorize(user, catalogLocationCreatePermission);
  });

  it('turns a conditional read into one filter and its in-memory twin', async () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditionsJson: JSON.stringify(ownerA),
      })),
      reader,
    );
    const access = await perms.readAccess(user);
    expect(access.filter).toEqual({ 'relations.ownedBy': { $in: ['group:default/team-a'] } });
    expect(access.allows(entities[0]!)).toBe(true);
    expect(access.allows(entities[1]!)).toBe(false);
    // Deletions (no entity) are not shown under a conditional decision.
    expect(access.allows(null)).toBe(false);
    await expect(perms.assertVisible(access, 'component:default/b')).rejects.toBeInstanceOf(NotFoundError);
    await perms.assertVisible(access, 'component:default/a');
  });

  it('reads nothing under DENY, and denied basic permissions are 403', async () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({ result: 'DENY' })),
      reader,
    );
    const access = await perms.readAccess(user);
    expect(access.filter).toBe(MATCH_NOTHING);
    expect(access.allows(entities[0]!)).toBe(false);
    await expect(perms.authorize(user, catalogLocationCreatePermission)).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    expect(await perms.canReadLocations(user)).toBe(false);
  });

  it('checks resource permissions against the entity under conditions', async () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditionsJson: JSON.stringify(ownerA),
      })),
      reader,
    );
    await perms.authorizeByUid(user, catalogEntityDeletePermission, 'uid-a');
    await expect(perms.authorizeByUid(user, catalogEntityDeletePermission, 'uid-b')).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    await expect(
      perms.authorizeByUid(user, catalogEntityDeletePermission, 'uid-none'),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await perms.authorizeByRef(user, catalogEntityDeletePermission, 'component:default/a');
    await expect(
      perms.authorizeByRef(user, catalogEntityDeletePermission, 'component:default/b'),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('fails (500, never allows) when the policy names a rule the catalog does not have', async () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditionsJson: '{"rule":"NOPE","resourceType":"catalog-entity"}',
      })),
      reader,
    );
    await expect(perms.readAccess(user)).rejects.toMatchObject({
      name: 'Error',
      message: expect.stringContaining('NOPE'),
    });
  });

  describe('apply-conditions', () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({ result: 'DENY' })),
      reader,
    );

    it('answers each item with the conditions applied to its entity (or entities)', async () => {
      const result = await perms.applyConditions({
        items: [
          { id: '1', resourceRef: 'component:default/a', resourceType: 'catalog-entity', conditions: ownerA },
          { id: '2', resourceRef: 'component:default/b', resourceType: 'catalog-entity', conditions: ownerA },
          {
            id: '3',
            resourceRef: 'component:default/missing',
            resourceType: 'catalog-entity',
            conditions: { not: ownerA },
          },
          {
            id: '4',
            resourceRef: ['Component:default/A', 'component:default/b'],
            resourceType: 'catalog-entity',
            conditions: { not: ownerA },
          },
        ],
      });
      expect(result).toEqual({
        items: [
          { id: '1', result: 'ALLOW' },
          { id: '2', result: 'DENY' },
          { id: '3', result: 'DENY' },
          { id: '4', result: ['DENY', 'ALLOW'] },
        ],
      });
      // Entities are loaded without any caller's read filter.
      expect(reader.lastFilter).toBeUndefined();
    });

    it.each([
      [{}, /Request body/],
      [
        {
          items: [
            {
              id: '1',
              resourceRef: 'component:default/a',
              resourceType: 'scaffolder-task',
              conditions: ownerA,
            },
          ],
        },
        /Unexpected resource type/,
      ],
      [
        { items: [{ id: '1', resourceRef: [], resourceType: 'catalog-entity', conditions: ownerA }] },
        /resourceRef/,
      ],
      [
        {
          items: [{ resourceRef: 'component:default/a', resourceType: 'catalog-entity', conditions: ownerA }],
        },
        /id/,
      ],
      [
        {
          items: [
            {
              id: '1',
              resourceRef: 'component:default/a',
              resourceType: 'catalog-entity',
              conditions: { rule: 'NOPE', resourceType: 'catalog-entity' },
            },
          ],
        },
        /Unknown permission rule/,
      ],
      [
        {
          items: [
            {
              id: '1',
              resourceRef: 'component:default/a',
              resourceType: 'catalog-entity',
              conditions: { allOf: [] },
            },
          ],
        },
        /non-empty/,
      ],
    ])('refuses %j with a 400', async (body, message) => {
      const err = await perms.applyConditions(body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
    });
  });

  it('publishes Backstage metadata', () => {
    const perms = new CatalogPermissions(
      permissionsAnswering(() => ({ result: 'DENY' })),
      reader,
    );
    const { permissions, rules } = perms.metadata();
    expect(permissions.map((p) => p.name)).toEqual([
      'catalog.entity.read',
      'catalog.entity.create',
      'catalog.entity.delete',
      'catalog.entity.refresh',
      'catalog.entity.validate',
      'catalog.location.read',
      'catalog.location.create',
      'catalog.location.delete',
      'catalog.location.analyze',
    ]);
    expect(permissions[0]).toEqual({
      type: 'resource',
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(rules).toHaveLength(6);
  });
});
