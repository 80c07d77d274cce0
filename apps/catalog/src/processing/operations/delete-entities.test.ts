import { inTransaction } from '../util/sql.js';
import { eventLog, relationLines } from '../testing/fixtures.js';
import {
  dueForStitching,
  entityFor,
  referenceLines,
  seedEntities,
  seedReferences,
  seedRelations,
  truncateAll,
  useTestDatabase,
} from '../testing/seed.js';
import { deleteEntities } from './delete-entities.js';

describe('deleteEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  async function seedFinal(ref: string, id: string) {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest!.split('/');
    await db().dataSource.query(
      `INSERT INTO final_entities (entity_id, entity_ref, kind, namespace, name, final_entity, search, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'h')`,
      [
        id,
        ref,
        kind,
        namespace,
        name,
        JSON.stringify(entityFor(ref)),
        JSON.stringify({ kind: [kind], 'metadata.name': [name], 'metadata.uid': [id] }),
      ],
    );
  }

  async function refs(): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await db().dataSource.query(
      'SELECT entity_ref FROM refresh_state ORDER BY entity_ref',
    );
    return rows.map((r) => r.entity_ref);
  }

  it('deletes the roots and the descendants nothing else reaches, with final rows, relations and events', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [
      { ref: 'location:default/root' },
      { ref: 'location:default/child' },
      { ref: 'component:default/grandchild' },
      { ref: 'component:default/shared' },
      { ref: 'group:default/team' },
    ]);
    await seedReferences(ds, [
      ['location:default/root', 'location:default/child'],
      ['location:default/root', 'component:default/shared'],
      ['location:default/child', 'component:default/grandchild'],
      ['provider:other', 'component:default/shared'],
      ['provider:other', 'group:default/team'],
    ]);
    const grandchild = ids.get('component:default/grandchild')!;
    await seedRelations(ds, [
      [grandchild, 'component:default/grandchild', 'ownedBy', 'group:default/team'],
      [grandchild, 'group:default/team', 'ownerOf', 'component:default/grandchild'],
    ]);
    await seedFinal('location:default/root', ids.get('location:default/root')!);
    await seedFinal('component:default/grandchild', grandchild);

    const deleted = await inTransaction(ds, (sql) =>
      deleteEntities(sql, ['location:default/root'], { source: 'config' }),
    );

    expect(deleted.sort()).toEqual([
      'component:default/grandchild',
      'location:default/child',
      'location:default/root',
    ]);
    expect(await refs()).toEqual(['component:default/shared', 'group:default/team']);
    expect(await referenceLines(ds)).toEqual([
      'provider:other -> component:default/shared',
      'provider:other -> group:default/team',
    ]);
    expect(await relationLines(ds)).toEqual([]);
    const finals: Array<{ n: string }> = await ds.query('SELECT count(*)::text AS n FROM final_entities');
    expect(finals[0]!.n).toBe('0');
    expect(await eventLog(ds)).toEqual([
      'component:default/grandchild deleted',
      'location:default/root deleted',
    ]);
    const sources: Array<{ source: string }> = await ds.query('SELECT DISTINCT source FROM entity_events');
    expect(sources).toEqual([{ source: 'config' }]);
    // The group lost the ownerOf relation the deleted component originated.
    expect(await dueForStitching(ds)).toEqual(['group:default/team']);
  });

  it('keeps a root something still emits', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/a' }]);
    await seedReferences(ds, [['provider:p', 'component:default/a']]);
    expect(
      await inTransaction(ds, (sql) => deleteEntities(sql, ['component:default/a'], { source: null })),
    ).toEqual([]);
    expect(await refs()).toEqual(['component:default/a']);
  });

  it('deletes a cycle that nothing outside reaches', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'location:default/a' }, { ref: 'location:default/b' }]);
    await seedReferences(ds, [
      ['location:default/a', 'location:default/b'],
      ['location:default/b', 'location:default/a'],
    ]);
    const deleted = await inTransaction(ds, (sql) =>
      deleteEntities(sql, ['location:default/a'], { source: null }),
    );
    expect(deleted.sort()).toEqual(['location:default/a', 'location:default/b']);
    expect(await refs()).toEqual([]);
  });
});
