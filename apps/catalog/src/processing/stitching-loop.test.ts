import { EngineStats } from './engine-stats.js';
import { entityEvents, finalEntities, silentLogger } from './testing/fixtures.js';
import {
  entityFor,
  seedEntities,
  seedReferences,
  seedRelations,
  truncateAll,
  useTestDatabase,
} from './testing/seed.js';
import { StitchingLoop } from './stitching-loop.js';

describe('StitchingLoop', () => {
  const db = useTestDatabase();
  let stats: EngineStats;
  let loop: StitchingLoop;
  beforeEach(async () => {
    await truncateAll(db().dataSource);
    stats = new EngineStats();
    loop = new StitchingLoop({
      dataSource: db().dataSource,
      logger: silentLogger(),
      batchSize: 50,
      leaseMs: 60_000,
      stats,
    });
  });

  it('writes each changed final entity once, with one event, and nothing when it has not changed', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [
      {
        ref: 'component:default/a',
        processed: entityFor('component:default/a', { owner: 'team' }),
        nextStitchIn: -1,
      },
      { ref: 'group:default/team', processed: entityFor('group:default/team'), nextStitchIn: -1 },
    ]);
    await seedReferences(ds, [
      ['provider:p', 'component:default/a'],
      ['provider:p', 'group:default/team'],
    ]);
    const a = ids.get('component:default/a')!;
    await seedRelations(ds, [
      [a, 'component:default/a', 'ownedBy', 'group:default/team'],
      [a, 'group:default/team', 'ownerOf', 'component:default/a'],
    ]);
    expect(await loop.stitchOnce()).toBe(2);
    expect(await loop.stitchOnce()).toBe(0);
    const finals = await finalEntities(ds);
    expect(finals.get('group:default/team')!.relations).toEqual([
      { type: 'ownerOf', targetRef: 'component:default/a' },
    ]);
    const [etag] = [finals.get('component:default/a')!.metadata.etag];

    await ds.query('UPDATE refresh_state SET next_stitch_at = now()');
    expect(await loop.stitchOnce()).toBe(2);
    expect(stats).toMatchObject({ stitchClaimed: 4, stitched: 2 });
    expect((await finalEntities(ds)).get('component:default/a')!.metadata.etag).toBe(etag);
    expect((await entityEvents(ds)).map((e) => `${e.entityRef} ${e.type} ${e.source}`)).toEqual([
      'component:default/a upserted p',
      'group:default/team upserted p',
    ]);
  });

  it('asks for the settle time before each claim, and can be told to take every mark at once', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/a', processed: entityFor('component:default/a'), nextStitchIn: 0 },
    ]);
    let settle = 60_000;
    const settling = new StitchingLoop({
      dataSource: ds,
      logger: silentLogger(),
      batchSize: 50,
      leaseMs: 60_000,
      settleMs: () => settle,
      stats,
    });
    expect(await settling.stitchOnce()).toBe(0);
    expect(await settling.stitchOnce({ settleMs: 0 })).toBe(1);
    await ds.query('UPDATE refresh_state SET next_stitch_at = now()');
    settle = 0;
    expect(await settling.stitchOnce()).toBe(1);
  });

  it('leaves an entity that never processed successfully invisible, and clears its mark', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/bad', errors: [{ name: 'InputError', message: 'x' }], nextStitchIn: -1 },
    ]);
    expect(await loop.stitchOnce()).toBe(1);
    expect((await finalEntities(ds)).size).toBe(0);
    expect(await loop.stitchOnce()).toBe(0);
  });

  it('keeps serving the previous version of an entity the search view refuses, and goes on', async () => {
    const ds = db().dataSource;
    const clash = {
      ...entityFor('component:default/clash'),
      metadata: { name: 'clash', labels: { Tier: 'a', tier: 'b' } },
    };
    await seedEntities(ds, [
      { ref: 'component:default/clash', processed: clash, nextStitchIn: -1 },
      { ref: 'component:default/fine', processed: entityFor('component:default/fine'), nextStitchIn: -1 },
    ]);
    expect(await loop.stitchOnce()).toBe(2);
    expect([...(await finalEntities(ds)).keys()]).toEqual(['component:default/fine']);
  });
});
