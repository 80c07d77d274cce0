import { withConnection, inTransaction } from '../util/sql.js';
import { entityEvents, finalEntities } from '../testing/fixtures.js';
import { entityFor, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { claimStitchableEntities } from './claim-stitchable-entities.js';
import { markForStitching } from './mark-for-stitching.js';
import { writeStitchedEntities, type StitchedEntity } from './write-stitched-entities.js';

function stitched(id: string, ref: string, hash: string): StitchedEntity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest!.split('/');
  const finalEntity = { ...entityFor(ref), metadata: { name: name!, namespace, uid: id, etag: 'e' } };
  return {
    entityId: id,
    entityRef: ref,
    kind: kind!,
    namespace: namespace!,
    name: name!,
    finalEntity,
    search: { kind: [kind!], 'metadata.name': [name!], 'metadata.uid': [id] },
    searchOriginal: {},
    hash,
    eventType: 'upserted',
    eventSource: 'file:/x.yaml',
  };
}

describe('writeStitchedEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('writes the changed rows and one event each, and clears the marks of everything it held', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [
      { ref: 'component:default/a', nextStitchIn: -1 },
      { ref: 'component:default/unchanged', nextStitchIn: -1 },
    ]);
    const claim = (await withConnection(ds, (sql) =>
      claimStitchableEntities(sql, { batchSize: 10, leaseMs: 60_000 }),
    ))!;
    const a = ids.get('component:default/a')!;
    const settled = await inTransaction(ds, (sql) =>
      writeStitchedEntities(sql, claim.ticket, [...ids.values()], [stitched(a, 'component:default/a', 'h1')]),
    );
    expect(settled.size).toBe(2);
    expect([...(await finalEntities(ds)).keys()]).toEqual(['component:default/a']);
    expect((await entityEvents(ds)).map((e) => `${e.entityRef} ${e.type} ${e.source}`)).toEqual([
      'component:default/a upserted file:/x.yaml',
    ]);
    const marks: Array<{ n: string }> = await ds.query(
      'SELECT count(*)::text AS n FROM refresh_state WHERE next_stitch_at IS NOT NULL',
    );
    expect(marks[0]!.n).toBe('0');
  });

  it('writes nothing for a row marked again after the claim: it stays due for the newer state', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [{ ref: 'component:default/a', nextStitchIn: -1 }]);
    const claim = (await withConnection(ds, (sql) =>
      claimStitchableEntities(sql, { batchSize: 10, leaseMs: 60_000 }),
    ))!;
    await withConnection(ds, (sql) => markForStitching(sql, ['component:default/a']));
    const a = ids.get('component:default/a')!;
    const settled = await inTransaction(ds, (sql) =>
      writeStitchedEntities(sql, claim.ticket, [a], [stitched(a, 'component:default/a', 'stale')]),
    );
    expect(settled.size).toBe(0);
    expect((await finalEntities(ds)).size).toBe(0);
    expect(await entityEvents(ds)).toEqual([]);
    const due: Array<{ n: string }> = await ds.query(
      'SELECT count(*)::text AS n FROM refresh_state WHERE next_stitch_at <= now()',
    );
    expect(due[0]!.n).toBe('1');
  });

  it('updates an existing final row in place', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [{ ref: 'component:default/a', nextStitchIn: -1 }]);
    const a = ids.get('component:default/a')!;
    for (const hash of ['h1', 'h2']) {
      await withConnection(ds, (sql) => markForStitching(sql, ['component:default/a']));
      const claim = (await withConnection(ds, (sql) =>
        claimStitchableEntities(sql, { batchSize: 10, leaseMs: 60_000 }),
      ))!;
      await inTransaction(ds, (sql) =>
        writeStitchedEntities(sql, claim.ticket, [a], [stitched(a, 'component:default/a', hash)]),
      );
    }
    const rows: Array<{ hash: string }> = await ds.query('SELECT hash FROM final_entities');
    expect(rows).toEqual([{ hash: 'h2' }]);
    expect((await entityEvents(ds)).length).toBe(2);
  });
});
