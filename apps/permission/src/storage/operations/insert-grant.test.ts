import { clearPolicy, useTestDatabase } from '../../testing/test-database.js';
import { inTransaction, withConnection } from '../sql.js';
import { deleteGrant } from './delete-grant.js';
import { insertGrant } from './insert-grant.js';
import { listGrants } from './list-grants.js';

describe('grants: insertGrant / listGrants / deleteGrant', () => {
  const db = useTestDatabase();
  beforeEach(() => clearPolicy(db().dataSource));

  it('stores grants and conditional grants apart and deletes each only by its own kind', async () => {
    const ds = db().dataSource;
    const conditions = { rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } };
    await inTransaction(ds, (sql) =>
      insertGrant(sql, 'grant', {
        id: 'g1',
        role: 'r',
        resourceType: 'catalog-entity',
        action: 'read',
        source: 'database',
      }),
    );
    await inTransaction(ds, (sql) =>
      insertGrant(sql, 'condition', {
        id: 'c1',
        role: 'r',
        resourceType: 'catalog-entity',
        conditions,
        source: 'database',
      }),
    );
    expect(await withConnection(ds, listGrants)).toEqual({
      grants: [{ id: 'g1', role: 'r', resourceType: 'catalog-entity', action: 'read', source: 'database' }],
      conditions: [{ id: 'c1', role: 'r', resourceType: 'catalog-entity', conditions, source: 'database' }],
    });
    expect(await inTransaction(ds, (sql) => deleteGrant(sql, 'grant', 'c1'))).toBeUndefined();
    expect(await inTransaction(ds, (sql) => deleteGrant(sql, 'condition', 'c1'))).toEqual({
      id: 'c1',
      role: 'r',
      resourceType: 'catalog-entity',
      conditions,
    });
    await expect(
      inTransaction(ds, (sql) =>
        insertGrant(sql, 'grant', { id: 'g1', role: 'r', permission: 'x', source: 'database' }),
      ),
    ).rejects.toThrow();
  });
});
