import { withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { findLocation } from './find-location.js';
import { insertLocation } from './insert-location.js';

describe('findLocation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('finds by id or by (type, target), and tolerates ids that are not uuids', async () => {
    const row = (await withConnection(db().dataSource, (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/a.yaml' }),
    ))!;
    expect(await withConnection(db().dataSource, (sql) => findLocation(sql, { id: row.id }))).toEqual(row);
    expect(
      await withConnection(db().dataSource, (sql) =>
        findLocation(sql, { type: 'url', target: 'https://x/a.yaml' }),
      ),
    ).toEqual(row);
    expect(
      await withConnection(db().dataSource, (sql) => findLocation(sql, { id: 'not-a-uuid' })),
    ).toBeUndefined();
  });
});
