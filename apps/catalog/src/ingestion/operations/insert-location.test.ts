import { withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { insertLocation } from './insert-location.js';

describe('insertLocation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('inserts a location once; a second (type, target) gives undefined', async () => {
    const spec = { type: 'url', target: 'https://x/a.yaml' };
    const row = await withConnection(db().dataSource, (sql) => insertLocation(sql, spec));
    expect(row).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...spec });
    expect(await withConnection(db().dataSource, (sql) => insertLocation(sql, spec))).toBeUndefined();
    expect(
      await withConnection(db().dataSource, (sql) =>
        insertLocation(sql, { type: 'file', target: spec.target }),
      ),
    ).toBeDefined();
  });
});
