import { component, silentLogger } from '../processing/testing/fixtures.js';
import { dueForProcessing, seedEntities, truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { ProviderConnection } from './provider-connection.js';

describe('ProviderConnection', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('applies mutations in the order they were sent and tells the engine when something is due', async () => {
    let changes = 0;
    const connection = new ProviderConnection({
      dataSource: db().dataSource,
      sourceKey: 'p',
      logger: silentLogger(),
      onChange: () => changes++,
    });
    const results = await Promise.all([
      connection.applyMutation({ type: 'full', entities: [{ entity: component('a') }] }),
      connection.applyMutation({ type: 'full', entities: [{ entity: component('b') }] }),
      connection.applyMutation({ type: 'delta', added: [{ entity: component('c') }], removed: [] }),
      connection.applyMutation({ type: 'delta', added: [{ entity: component('c') }], removed: [] }),
    ]);
    expect(results.map((r) => [r.added, r.deleted])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [0, 0],
    ]);
    expect(changes).toBe(3);
    expect(await dueForProcessing(db().dataSource)).toEqual(['component:default/b', 'component:default/c']);
  });

  it('rejects an invalid mutation without writing, and keeps working after it', async () => {
    const connection = new ProviderConnection({
      dataSource: db().dataSource,
      sourceKey: 'p',
      logger: silentLogger(),
    });
    await expect(
      connection.applyMutation({ type: 'full', entities: [{ entity: {} as never }] }),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(
      (await connection.applyMutation({ type: 'full', entities: [{ entity: component('a') }] })).added,
    ).toBe(1);
  });

  it('refresh makes the entities of the given location keys due', async () => {
    await seedEntities(db().dataSource, [
      { ref: 'component:default/a', locationKey: 'url:https://x/a.yaml', nextUpdateIn: 100 },
      { ref: 'component:default/b', locationKey: 'url:https://x/b.yaml', nextUpdateIn: 100 },
    ]);
    let changes = 0;
    const connection = new ProviderConnection({
      dataSource: db().dataSource,
      sourceKey: 'p',
      logger: silentLogger(),
      onChange: () => changes++,
    });
    await connection.refresh({ keys: ['url:https://x/a.yaml'] });
    expect(await dueForProcessing(db().dataSource)).toEqual(['component:default/a']);
    expect(changes).toBe(1);
  });
});
