import { withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { locationEntityRef, locationEntityRefOfId } from '../location-entity.js';
import { insertLocation } from './insert-location.js';

describe('insertLocation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('inserts a location once; a second (type, target) gives undefined', async () => {
    const spec = { type: 'url', target: 'https://x/a.yaml' };
    const row = await withConnection(db().dataSource, (sql) => insertLocation(sql, spec));
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...spec,
      entityRef: locationEntityRef(spec),
    });
    expect(await withConnection(db().dataSource, (sql) => insertLocation(sql, spec))).toBeUndefined();
    expect(
      await withConnection(db().dataSource, (sql) =>
        insertLocation(sql, { type: 'file', target: spec.target }),
      ),
    ).toBeDefined();
  });

  it('names the entity after the id when a moved location still holds the natural ref', async () => {
    const spec = { type: 'url', target: 'https://x/a.yaml' };
    const first = (await withConnection(db().dataSource, (sql) => insertLocation(sql, spec)))!;
    await db().dataSource.query(`UPDATE locations SET target = 'https://x/moved.yaml' WHERE id = $1`, [
      first.id,
    ]);
    const second = (await withConnection(db().dataSource, (sql) => insertLocation(sql, spec)))!;
    expect(second.entityRef).toBe(locationEntityRefOfId(second.id));
    expect(second.entityRef).not.toBe(first.entityRef);
  });
});
