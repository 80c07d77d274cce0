import { insertEntities } from '../../entities/query/testing/catalog-test-database.js';
import { eventLog, stateOf } from '../../processing/testing/fixtures.js';
import {
  dueForProcessing,
  dueForStitching,
  entityFor,
  referenceLines,
  seedSmallGraph,
  truncateAll,
  useTestDatabase,
} from '../../processing/testing/seed.js';
import { inTransaction } from '../../processing/util/sql.js';
import { deleteEntityByUid } from './delete-entity-by-uid.js';

describe('deleteEntityByUid', () => {
  const db = useTestDatabase();
  let ids: Map<string, string>;
  beforeEach(async () => {
    await truncateAll(db().dataSource);
    ids = await seedSmallGraph(db().dataSource);
    await db().dataSource.query(
      `UPDATE refresh_state SET next_update_at = now() + interval '1 hour', result_hash = 'r'`,
    );
    await insertEntities(
      db().dataSource,
      ['component:default/a', 'component:default/b'].map((ref) => {
        const entity = entityFor(ref);
        return { ...entity, metadata: { ...entity.metadata, uid: ids.get(ref)! } };
      }),
    );
  });
  const remove = (uid: string) => inTransaction(db().dataSource, (sql) => deleteEntityByUid(sql, uid));

  it('deletes an entity all its emitters reference, with a deleted event, and makes its parents due', async () => {
    expect(await remove(ids.get('component:default/b')!)).toEqual({
      deleted: ['component:default/b'],
      parents: ['location:default/root'],
    });
    expect(await referenceLines(db().dataSource)).toEqual([
      'location:default/root -> component:default/a',
      'provider:config -> location:default/root',
    ]);
    expect(await eventLog(db().dataSource)).toEqual(['component:default/b deleted']);
    expect(await dueForProcessing(db().dataSource)).toEqual(['location:default/root']);
    expect((await stateOf(db().dataSource, 'location:default/root'))?.resultHash).toBe('child-was-deleted');
    // The relations a originated (a dependsOn b, b dependencyOf a) stay with a, their originator, as
    // in Backstage; b originated none, so nothing needs stitching.
    expect(await db().dataSource.query('SELECT count(*)::int AS n FROM relations')).toEqual([{ n: 2 }]);
    expect(await dueForStitching(db().dataSource)).toEqual([]);
  });

  it('takes the descendants nothing else reaches, and marks the other ends of their relations', async () => {
    const result = await remove(ids.get('location:default/root')!);
    expect(result.parents).toEqual([]);
    expect(result.deleted.sort()).toEqual(['component:default/a', 'location:default/root']);
    expect(await referenceLines(db().dataSource)).toEqual(['provider:push:x -> component:default/b']);
    expect(await eventLog(db().dataSource)).toEqual(['component:default/a deleted']);
    expect(await dueForStitching(db().dataSource)).toEqual(['component:default/b']);
  });

  it('does nothing for unknown or malformed uids', async () => {
    expect(await remove('00000000-0000-4000-8000-000000000000')).toEqual({ deleted: [], parents: [] });
    expect(await remove('nope')).toEqual({ deleted: [], parents: [] });
    expect((await referenceLines(db().dataSource)).length).toBe(4);
  });
});
