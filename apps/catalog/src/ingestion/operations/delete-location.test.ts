import { withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { deleteLocation } from './delete-location.js';
import { insertLocation } from './insert-location.js';

describe('deleteLocation', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('deletes by id and returns the row, undefined when absent', async () => {
    const row = (await withConnection(db().dataSource, (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/a.yaml' }),
    ))!;
    expect(await withConnection(db().dataSource, (sql) => deleteLocation(sql, row.id))).toEqual(row);
    expect(await withConnection(db().dataSource, (sql) => deleteLocation(sql, row.id))).toBeUndefined();
    expect(await withConnection(db().dataSource, (sql) => deleteLocation(sql, 'not-a-uuid'))).toBeUndefined();
  });
});
