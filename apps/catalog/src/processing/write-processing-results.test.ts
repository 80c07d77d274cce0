import type { Entity, JsonObject, RelationTriple } from '@portal/catalog-model';
import { relationLines, stateOf } from './testing/fixtures.js';
import {
  dueForProcessing,
  dueForStitching,
  entityFor,
  referenceLines,
  seedEntities,
  seedReferences,
  seedRelations,
  truncateAll,
  useTestDatabase,
} from './testing/seed.js';
import type { EmittedChild, ProcessingResult } from './types.js';
import { inTransaction, RetryTransaction, type Sql } from './util/sql.js';
import { writeProcessingResults, type ProcessedItem } from './write-processing-results.js';

const child = (ref: string, key: string, spec: JsonObject = {}): EmittedChild => ({
  entity: entityFor(ref, spec),
  entityRef: ref,
  locationKey: key,
  hash: `hash-of-${ref}-${JSON.stringify(spec)}`,
});

function ok(entity: Entity, parts: Partial<Extract<ProcessingResult, { ok: true }>> = {}): ProcessingResult {
  return { ok: true, entity, relations: [], children: [], keptLocationKeys: [], errors: [], ...parts };
}

describe('writeProcessingResults', () => {
  const db = useTestDatabase();
  let ids: Map<string, string>;
  beforeEach(async () => {
    await truncateAll(db().dataSource);
    ids = await seedEntities(db().dataSource, [
      { ref: 'location:default/p', nextUpdateIn: 100 },
      { ref: 'location:default/q', nextUpdateIn: 100 },
    ]);
    await seedReferences(db().dataSource, [
      ['provider:config', 'location:default/p'],
      ['provider:config', 'location:default/q'],
    ]);
  });

  const item = (ref: string, result: ProcessingResult, resultHash = 'new'): ProcessedItem => ({
    entityId: ids.get(ref)!,
    entityRef: ref,
    result,
    resultHash,
  });
  const write = (items: ProcessedItem[], orphanStrategy: 'keep' | 'delete' = 'keep') =>
    inTransaction(db().dataSource, (sql) => writeProcessingResults(sql, items, { orphanStrategy }));

  it('stores the result, inserts the children and references them, and marks the entity', async () => {
    const p = entityFor('location:default/p');
    const summary = await write([
      item('location:default/p', ok(p, { children: [child('component:default/a', 'file:/a.yaml')] })),
    ]);
    expect(summary).toEqual({ written: 1, conflicts: [], deleted: [], marked: 1 });
    expect(await stateOf(db().dataSource, 'location:default/p')).toEqual({
      processed: p,
      errors: null,
      resultHash: 'new',
    });
    expect(await referenceLines(db().dataSource)).toContain('location:default/p -> component:default/a');
    expect(await dueForProcessing(db().dataSource)).toEqual(['component:default/a']);
    expect(await dueForStitching(db().dataSource)).toEqual(['location:default/p']);
  });

  it('writes relation diffs and marks both ends of every changed relation', async () => {
    const a = ids.get('location:default/p')!;
    await seedEntities(db().dataSource, [
      { ref: 'group:default/old' },
      { ref: 'group:default/new' },
      { ref: 'group:default/same' },
    ]);
    await seedRelations(db().dataSource, [
      [a, 'location:default/p', 'ownedBy', 'group:default/old'],
      [a, 'group:default/old', 'ownerOf', 'location:default/p'],
      [a, 'location:default/p', 'ownedBy', 'group:default/same'],
      [a, 'group:default/same', 'ownerOf', 'location:default/p'],
    ]);
    const relations: RelationTriple[] = [
      { source: 'location:default/p', type: 'ownedBy', target: 'group:default/same' },
      { source: 'group:default/same', type: 'ownerOf', target: 'location:default/p' },
      { source: 'location:default/p', type: 'ownedBy', target: 'group:default/new' },
      { source: 'group:default/new', type: 'ownerOf', target: 'location:default/p' },
    ];
    await write([item('location:default/p', ok(entityFor('location:default/p'), { relations }))]);
    expect(await relationLines(db().dataSource)).toEqual([
      'group:default/new ownerOf location:default/p',
      'group:default/same ownerOf location:default/p',
      'location:default/p ownedBy group:default/new',
      'location:default/p ownedBy group:default/same',
    ]);
    expect(await dueForStitching(db().dataSource)).toEqual([
      'group:default/new',
      'group:default/old',
      'location:default/p',
    ]);
  });

  it('stores only the errors of a failed run', async () => {
    const good = entityFor('location:default/p', { target: 'x' });
    await write([
      item('location:default/p', ok(good, { children: [child('component:default/a', 'file:/a.yaml')] })),
    ]);
    await write([
      item('location:default/p', { ok: false, errors: [{ name: 'InputError', message: 'bad' }] }, 'failed'),
    ]);
    expect(await stateOf(db().dataSource, 'location:default/p')).toEqual({
      processed: good,
      errors: [{ name: 'InputError', message: 'bad' }],
      resultHash: 'failed',
    });
    expect(await referenceLines(db().dataSource)).toContain('location:default/p -> component:default/a');
  });

  it('keeps the children of a source that failed to read, and orphans those no longer emitted', async () => {
    const p = entityFor('location:default/p');
    await write([
      item(
        'location:default/p',
        ok(p, {
          children: [
            child('component:default/a', 'file:/a.yaml'),
            child('component:default/b', 'file:/b.yaml'),
            child('component:default/c', 'file:/b.yaml'),
          ],
        }),
      ),
    ]);
    await db().dataSource.query('UPDATE refresh_state SET next_stitch_at = NULL');
    const summary = await write([
      item(
        'location:default/p',
        ok(p, {
          children: [child('component:default/b', 'file:/b.yaml')],
          keptLocationKeys: ['file:/a.yaml'],
          errors: [{ name: 'NotFoundError', message: 'Unable to read file:/a.yaml' }],
        }),
        'newer',
      ),
    ]);
    expect(summary.deleted).toEqual([]);
    expect(
      (await referenceLines(db().dataSource)).filter((line) => line.startsWith('location:default/p')),
    ).toEqual(['location:default/p -> component:default/a', 'location:default/p -> component:default/b']);
    expect(await dueForStitching(db().dataSource)).toEqual(['component:default/c', 'location:default/p']);
  });

  it('deletes children no longer emitted under orphanStrategy delete', async () => {
    const p = entityFor('location:default/p');
    await write([
      item('location:default/p', ok(p, { children: [child('component:default/a', 'file:/a.yaml')] })),
    ]);
    const summary = await write([item('location:default/p', ok(p), 'empty')], 'delete');
    expect(summary.deleted).toEqual(['component:default/a']);
    expect(await stateOf(db().dataSource, 'component:default/a')).toBeUndefined();
  });

  it('skips a child another emitter owns and clears the hash so the next run writes again', async () => {
    await seedEntities(db().dataSource, [
      { ref: 'component:default/taken', locationKey: 'file:/q.yaml', hash: 'theirs' },
    ]);
    await seedReferences(db().dataSource, [['location:default/q', 'component:default/taken']]);
    const summary = await write([
      item(
        'location:default/p',
        ok(entityFor('location:default/p'), { children: [child('component:default/taken', 'file:/p.yaml')] }),
      ),
    ]);
    expect(summary.conflicts).toEqual(['component:default/taken']);
    expect((await stateOf(db().dataSource, 'location:default/p'))!.resultHash).toBeNull();
    expect(await referenceLines(db().dataSource)).not.toContain(
      'location:default/p -> component:default/taken',
    );
    const [row]: Array<{ unprocessed_hash: string }> = await db().dataSource.query(
      `SELECT unprocessed_hash FROM refresh_state WHERE entity_ref = 'component:default/taken'`,
    );
    expect(row!.unprocessed_hash).toBe('theirs');
  });

  it('shares a child between parents using the same key, in one batch', async () => {
    const shared = child('component:default/shared', 'file:/shared.yaml');
    const summary = await write([
      item('location:default/p', ok(entityFor('location:default/p'), { children: [shared] })),
      item('location:default/q', ok(entityFor('location:default/q'), { children: [shared] })),
    ]);
    expect(summary.conflicts).toEqual([]);
    expect((await referenceLines(db().dataSource)).filter((line) => line.endsWith('shared'))).toEqual([
      'location:default/p -> component:default/shared',
      'location:default/q -> component:default/shared',
    ]);
  });

  it('drops items whose row vanished since the claim', async () => {
    const gone = item('location:default/q', ok(entityFor('location:default/q')));
    await db().dataSource.query(`DELETE FROM refresh_state WHERE entity_ref = 'location:default/q'`);
    expect(
      (await write([gone, item('location:default/p', ok(entityFor('location:default/p')))])).written,
    ).toBe(1);
  });

  it('asks for a retry when what the parents emitted changed while it was locking', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/late' }]);
    const interfering = (sql: Sql): Sql => ({
      rows: async (text, params) => {
        if (text.includes('FOR UPDATE') && text.includes('ORDER BY entity_ref')) {
          await ds.query(
            `INSERT INTO refresh_state_references (source_entity_ref, target_entity_ref) VALUES ('location:default/p', 'component:default/late')
             ON CONFLICT DO NOTHING`,
          );
        }
        return sql.rows(text, params);
      },
      count: (text, params) => sql.count(text, params),
    });
    const items = [item('location:default/p', ok(entityFor('location:default/p')))];
    await expect(
      inTransaction(
        ds,
        (sql) => writeProcessingResults(interfering(sql), items, { orphanStrategy: 'keep' }),
        { retries: 0 },
      ),
    ).rejects.toBeInstanceOf(RetryTransaction);
    await ds.query(`DELETE FROM refresh_state_references WHERE target_entity_ref = 'component:default/late'`);
    let attempts = 0;
    await inTransaction(
      ds,
      (sql) => {
        attempts++;
        return writeProcessingResults(attempts === 1 ? interfering(sql) : sql, items, {
          orphanStrategy: 'keep',
        });
      },
      { retries: 2 },
    );
    expect(attempts).toBe(2);
    // The retry saw the late reference and, as p no longer emits it, orphaned the child.
    expect(await referenceLines(ds)).not.toContain('location:default/p -> component:default/late');
    expect(await dueForStitching(ds)).toContain('component:default/late');
  });
});
