import type { Entity } from '@portal/catalog-model';
import { inTransaction } from '../processing/util/sql.js';
import { component } from '../processing/testing/fixtures.js';
import {
  dueForProcessing,
  dueForStitching,
  referenceLines,
  seedEntities,
  seedReferences,
  truncateAll,
  useTestDatabase,
} from '../processing/testing/seed.js';
import { applyProviderMutation, normalizeMutation } from './apply-provider-mutation.js';
import type { EntityProviderMutation } from './entity-provider.js';

describe('normalizeMutation', () => {
  it('computes canonical refs and hashes, the last entry of a ref winning', () => {
    const normalized = normalizeMutation({
      type: 'full',
      entities: [
        { entity: component('A', { lifecycle: 'one' }) },
        { entity: component('a', { lifecycle: 'two' }), locationKey: 'push:x' },
      ],
    });
    expect(normalized.upserts).toHaveLength(1);
    expect(normalized.upserts[0]).toMatchObject({ entityRef: 'component:default/a', locationKey: 'push:x' });
    expect(normalized.upserts[0]!.entity.spec!.lifecycle).toBe('two');
    expect(normalized.upserts[0]!.hash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads delta removals by ref and by entity', () => {
    const normalized = normalizeMutation({
      type: 'delta',
      added: [],
      removed: [{ entityRef: 'Component:Default/X' }, { entity: component('y') }],
    });
    expect(normalized.removals).toEqual(['component:default/x', 'component:default/y']);
  });

  it('refuses the whole mutation, naming every bad item', () => {
    const bad = {
      type: 'full',
      entities: [
        { entity: component('ok') },
        { entity: { kind: 'Component', metadata: {} } },
        'nope',
        { entity: component('k'), locationKey: 3 },
      ],
    } as unknown as EntityProviderMutation;
    expect(() => normalizeMutation(bad)).toThrow(
      'Invalid mutation: entities[1].entity has no metadata.name; entities[2] is not an object; entities[3].locationKey is not a string',
    );
    expect(() => normalizeMutation({ type: 'other' } as never)).toThrow(/type 'full' or 'delta'/);
    expect(() =>
      normalizeMutation({ type: 'full', entities: [{ entity: component('n', {}, { title: 'a\u0000b' }) }] }),
    ).toThrow(/entities\[0\]\.entity contains a NUL character/);
    expect(() => normalizeMutation({ type: 'delta', added: [], removed: [{}] } as never)).toThrow(
      /removed\[0\] needs an entityRef or an entity/,
    );
  });
});

describe('applyProviderMutation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));
  const apply = (sourceKey: string, mutation: EntityProviderMutation) =>
    inTransaction(db().dataSource, (sql) =>
      applyProviderMutation(sql, sourceKey, normalizeMutation(mutation)),
    );
  const full = (entities: Entity[], locationKey?: string): EntityProviderMutation => ({
    type: 'full',
    entities: entities.map((entity) => ({ entity, locationKey })),
  });
  const refs = async () =>
    (
      (await db().dataSource.query('SELECT entity_ref FROM refresh_state ORDER BY 1')) as Array<{
        entity_ref: string;
      }>
    ).map((r) => r.entity_ref);

  it('adds, updates only what changed, and removes what a full mutation leaves out', async () => {
    expect(await apply('p', full([component('a'), component('b')]))).toEqual({
      added: 2,
      updated: 0,
      deleted: 0,
      conflicts: [],
    });
    expect(await dueForProcessing(db().dataSource)).toEqual(['component:default/a', 'component:default/b']);
    await db().dataSource.query(`UPDATE refresh_state SET next_update_at = now() + interval '1 hour'`);
    expect(
      await apply('p', full([component('a', { lifecycle: 'x' }), component('b'), component('c')])),
    ).toEqual({
      added: 1,
      updated: 1,
      deleted: 0,
      conflicts: [],
    });
    expect(await dueForProcessing(db().dataSource)).toEqual(['component:default/a', 'component:default/c']);
    expect(await apply('p', full([component('c')]))).toEqual({
      added: 0,
      updated: 0,
      deleted: 2,
      conflicts: [],
    });
    expect(await refs()).toEqual(['component:default/c']);
    expect(await apply('p', full([component('c')]))).toEqual({
      added: 0,
      updated: 0,
      deleted: 0,
      conflicts: [],
    });
  });

  it('never lets one provider take an entity another emitter owns under another key', async () => {
    await apply('p', full([component('shared')], 'url:https://a/catalog-info.yaml'));
    expect(
      await apply(
        'q',
        full([component('shared', { lifecycle: 'theirs' })], 'url:https://b/catalog-info.yaml'),
      ),
    ).toEqual({
      added: 0,
      updated: 0,
      deleted: 0,
      conflicts: ['component:default/shared'],
    });
    expect(await referenceLines(db().dataSource)).toEqual(['provider:p -> component:default/shared']);
    const [row]: Array<{ lifecycle: string }> = await db().dataSource.query(
      `SELECT unprocessed_entity #>> '{spec,lifecycle}' AS lifecycle FROM refresh_state`,
    );
    expect(row!.lifecycle).toBe('production');
  });

  it('shares an entity between emitters using the same key, and deletes it only when neither emits it', async () => {
    await apply('p', full([component('shared')], 'url:https://a/catalog-info.yaml'));
    expect(
      (await apply('q', full([component('shared')], 'url:https://a/catalog-info.yaml'))).conflicts,
    ).toEqual([]);
    expect(await referenceLines(db().dataSource)).toEqual([
      'provider:p -> component:default/shared',
      'provider:q -> component:default/shared',
    ]);
    expect((await apply('p', full([]))).deleted).toBe(0);
    expect((await apply('q', full([]))).deleted).toBe(1);
    expect(await refs()).toEqual([]);
  });

  it('adopts an orphan and marks it for stitching (its orphan flag goes)', async () => {
    await seedEntities(db().dataSource, [
      { ref: 'component:default/orphan', locationKey: 'file:/gone.yaml', nextStitchIn: null },
    ]);
    expect(await apply('p', full([component('orphan')], 'push:p'))).toMatchObject({
      updated: 1,
      conflicts: [],
    });
    expect(await referenceLines(db().dataSource)).toEqual(['provider:p -> component:default/orphan']);
    expect(await dueForStitching(db().dataSource)).toEqual(['component:default/orphan']);
  });

  it('removes by delta only what the provider emits, with the children nothing else reaches', async () => {
    await apply(
      'p',
      full([
        component('a'),
        { apiVersion: 'backstage.io/v1alpha1', kind: 'Location', metadata: { name: 'l' }, spec: {} },
      ]),
    );
    await seedEntities(db().dataSource, [
      { ref: 'component:default/child' },
      { ref: 'component:default/elsewhere' },
    ]);
    await seedReferences(db().dataSource, [
      ['location:default/l', 'component:default/child'],
      ['provider:q', 'component:default/elsewhere'],
    ]);
    const summary = await apply('p', {
      type: 'delta',
      added: [],
      removed: [{ entityRef: 'location:default/l' }, { entityRef: 'component:default/elsewhere' }],
    });
    expect(summary.deleted).toBe(2);
    expect(await refs()).toEqual(['component:default/a', 'component:default/elsewhere']);
  });

  it('handles full mutations larger than one statement chunk', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => component(`c${i}`));
    expect((await apply('p', full(many))).added).toBe(2500);
    expect((await apply('p', full(many.slice(0, 1200)))).deleted).toBe(1300);
    expect((await refs()).length).toBe(1200);
  });
});
