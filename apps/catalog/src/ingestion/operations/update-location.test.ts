import { inTransaction, withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { insertLocation } from './insert-location.js';
import { listLocations } from './list-locations.js';
import { updateLocation } from './update-location.js';

describe('updateLocation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('changes type and target, refuses a clash with another location, ignores unknown ids', async () => {
    const ds = () => db().dataSource;
    const a = (await withConnection(ds(), (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/a.yaml' }),
    ))!;
    const b = (await withConnection(ds(), (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/b.yaml' }),
    ))!;

    const changed = await inTransaction(ds(), (sql) =>
      updateLocation(sql, a.id, { type: 'url', target: 'https://x/c.yaml' }),
    );
    // The entity ref stays what it was at registration.
    expect(changed).toEqual({ before: a, after: { ...a, target: 'https://x/c.yaml' } });

    // Updating to its own current value is no clash.
    await expect(
      inTransaction(ds(), (sql) => updateLocation(sql, a.id, { type: 'url', target: 'https://x/c.yaml' })),
    ).resolves.toBeDefined();
    await expect(
      inTransaction(ds(), (sql) => updateLocation(sql, a.id, { type: 'url', target: b.target })),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(
      await inTransaction(ds(), (sql) => updateLocation(sql, '00000000-0000-4000-8000-000000000000', b)),
    ).toBeUndefined();
    expect(await inTransaction(ds(), (sql) => updateLocation(sql, 'nope', b))).toBeUndefined();
    expect((await withConnection(ds(), listLocations)).map((l) => l.target).sort()).toEqual([
      'https://x/b.yaml',
      'https://x/c.yaml',
    ]);
  });
});
