import { inTransaction, withConnection } from '../../processing/util/sql.js';
import { useTestDatabase } from '../../processing/testing/seed.js';
import { deleteStoredKind, lockStoredKind } from './delete-stored-kind.js';
import { listStoredKinds } from './list-stored-kinds.js';
import { clearKinds, widget } from '../testing/stored-kinds.js';
import { upsertStoredKind } from './upsert-stored-kind.js';

describe('lockStoredKind / deleteStoredKind', () => {
  const db = useTestDatabase();
  beforeEach(() => clearKinds(db().dataSource));

  it('finds and deletes a kind in any case, and reports a missing one', async () => {
    const ds = db().dataSource;
    await inTransaction(ds, (sql) => upsertStoredKind(sql, widget()));
    expect(await inTransaction(ds, (sql) => lockStoredKind(sql, 'WIDGET'))).toBe('Widget');
    expect(await inTransaction(ds, (sql) => lockStoredKind(sql, 'gadget'))).toBeUndefined();
    expect(await inTransaction(ds, (sql) => deleteStoredKind(sql, 'widget'))).toBe(true);
    expect(await inTransaction(ds, (sql) => deleteStoredKind(sql, 'widget'))).toBe(false);
    expect(await withConnection(ds, listStoredKinds)).toEqual([]);
  });
});
