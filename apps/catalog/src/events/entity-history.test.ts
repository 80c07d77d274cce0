import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { EntityHistory } from './entity-history.js';
import { insertEvent } from './testing/events.js';

describe('EntityHistory', () => {
  const db = useTestDatabase();
  let history: EntityHistory;

  beforeEach(async () => {
    await truncateAll(db().dataSource);
    history = new EntityHistory(db().dataSource);
  });

  it('lists versions newest first, case-insensitively, paged with before', async () => {
    const { dataSource } = db();
    for (let version = 1; version <= 5; version++) {
      await insertEvent(dataSource, 'component:default/svc', { version });
      await insertEvent(dataSource, 'component:default/other', { version });
    }
    await insertEvent(dataSource, 'component:default/svc', { type: 'deleted' });
    const first = await history.list('Component', 'DEFAULT', 'Svc', { limit: 4 });
    expect(first.items.map((i) => i.type)).toEqual(['deleted', 'upserted', 'upserted', 'upserted']);
    expect(first.items[0]).toMatchObject({ entity: null, source: 'test' });
    expect(first.items.slice(1).map((i) => (i.entity?.spec as { version: number }).version)).toEqual([
      5, 4, 3,
    ]);
    expect(first.pageInfo.nextBefore).toBe(first.items[3]!.id);
    const second = await history.list('component', 'default', 'svc', {
      limit: 4,
      before: first.pageInfo.nextBefore,
    });
    expect(second.items.map((i) => (i.entity?.spec as { version: number }).version)).toEqual([2, 1]);
    expect(second.pageInfo).toEqual({});
    expect((await history.list('component', 'default', 'svc')).items).toHaveLength(6);
  });

  it('answers 404 for an entity that never existed, an empty page past the end otherwise', async () => {
    await insertEvent(db().dataSource, 'component:default/svc');
    await expect(history.list('component', 'default', 'nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(history.list('component', 'default', 'svc', { before: '1' })).resolves.toEqual({
      items: [],
      pageInfo: {},
    });
  });

  it.each([{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { before: 'x' }])('refuses %p', async (options) => {
    await expect(history.list('component', 'default', 'svc', options)).rejects.toMatchObject({
      name: 'InputError',
    });
  });
});
