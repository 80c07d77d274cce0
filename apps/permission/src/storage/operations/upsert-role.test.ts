import { clearPolicy, useTestDatabase } from '../../testing/test-database.js';
import { inTransaction, withConnection } from '../sql.js';
import { deleteRole } from './delete-role.js';
import { insertGrant } from './insert-grant.js';
import { listGrants } from './list-grants.js';
import { listRoles } from './list-roles.js';
import { upsertRole } from './upsert-role.js';

describe('roles: upsertRole / listRoles / deleteRole', () => {
  const db = useTestDatabase();
  beforeEach(() => clearPolicy(db().dataSource));

  it('creates, replaces, lists and deletes roles (with their grants)', async () => {
    const ds = db().dataSource;
    await inTransaction(ds, (sql) =>
      upsertRole(sql, { name: 'b', members: ['user:default/x'], description: 'B' }),
    );
    await inTransaction(ds, (sql) => upsertRole(sql, { name: 'a', members: [] }));
    await inTransaction(ds, (sql) => upsertRole(sql, { name: 'b', members: ['group:default/y'] }));
    expect(await withConnection(ds, listRoles)).toEqual([
      { name: 'a', members: [], source: 'database' },
      { name: 'b', members: ['group:default/y'], source: 'database' },
    ]);
    await inTransaction(ds, (sql) =>
      insertGrant(sql, 'grant', { id: 'g1', role: 'b', permission: 'x', source: 'database' }),
    );
    expect(await inTransaction(ds, (sql) => deleteRole(sql, 'b'))).toBe(true);
    expect(await inTransaction(ds, (sql) => deleteRole(sql, 'b'))).toBe(false);
    expect((await withConnection(ds, listRoles)).map((r) => r.name)).toEqual(['a']);
    expect((await withConnection(ds, listGrants)).grants).toEqual([]);
  });
});
