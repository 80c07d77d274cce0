import { insertEntities } from '../../entities/query/testing/catalog-test-database.js';
import { entityFor, seedSmallGraph, truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { withConnection } from '../../processing/util/sql.js';
import { listEntityAncestry } from './list-entity-ancestry.js';

describe('listEntityAncestry', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
    // A second emitter of b, visible, itself emitted by root: b has two parents, root is reached twice.
    await db().dataSource.query(
      `INSERT INTO refresh_state (entity_id, entity_ref, unprocessed_entity, unprocessed_hash)
       VALUES (gen_random_uuid(), 'location:default/mid', '{}', 'h')`,
    );
    await db().dataSource.query(
      `INSERT INTO refresh_state_references (source_entity_ref, target_entity_ref)
       VALUES ('location:default/root', 'location:default/mid'), ('location:default/mid', 'component:default/b')`,
    );
    await insertEntities(
      db().dataSource,
      [
        'location:default/root',
        'location:default/mid',
        'component:default/b',
        'component:default/orphan',
      ].map((ref) => entityFor(ref)),
    );
  });
  const ancestry = (ref: string) => withConnection(db().dataSource, (sql) => listEntityAncestry(sql, ref));

  it('walks up every visible emitter once, the entity first', async () => {
    const result = (await ancestry('Component:Default/B'))!;
    expect(result.rootEntityRef).toBe('component:default/b');
    expect(result.items.map((i) => [i.entity.metadata.name, i.parentEntityRefs])).toEqual([
      ['b', ['location:default/mid', 'location:default/root']],
      ['mid', ['location:default/root']],
      ['root', []],
    ]);
  });

  it('is just the entity when nothing emits it, and undefined when it is not visible', async () => {
    expect((await ancestry('component:default/orphan'))!.items.map((i) => i.parentEntityRefs)).toEqual([[]]);
    // a exists in refresh_state but was never stitched.
    expect(await ancestry('component:default/a')).toBeUndefined();
    expect(await ancestry('component:default/none')).toBeUndefined();
  });
});
