import { withConnection } from '../../processing/util/sql.js';
import { truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { insertLocation } from './insert-location.js';
import { listLocations } from './list-locations.js';

describe('listLocations', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('lists every registered location, oldest first', async () => {
    const first = await withConnection(db().dataSource, (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/1.yaml' }),
    );
    const second = await withConnection(db().dataSource, (sql) =>
      insertLocation(sql, { type: 'url', target: 'https://x/2.yaml' }),
    );
    expect(await withConnection(db().dataSource, listLocations)).toEqual([first, second]);
  });
});
