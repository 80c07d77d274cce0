import { clearPolicy, useTestDatabase } from '../../testing/test-database.js';
import { inTransaction, withConnection } from '../sql.js';
import { insertAudit } from './insert-audit.js';
import { listAudit } from './list-audit.js';

describe('insertAudit / listAudit', () => {
  const db = useTestDatabase();
  beforeEach(() => clearPolicy(db().dataSource));

  it('records who changed what with before and after, newest first, paged', async () => {
    const ds = db().dataSource;
    await inTransaction(ds, (sql) =>
      insertAudit(sql, {
        actor: 'user:default/a',
        action: 'role.create',
        subject: 'r',
        before: null,
        after: { name: 'r', members: [] },
      }),
    );
    await inTransaction(ds, (sql) =>
      insertAudit(sql, {
        actor: 'user:default/b',
        action: 'role.update',
        subject: 'r',
        before: { name: 'r', members: [] },
        after: { name: 'r', members: ['user:default/c'] },
      }),
    );
    const all = await withConnection(ds, (sql) => listAudit(sql, { limit: 10 }));
    expect(all).toEqual([
      expect.objectContaining({
        actor: 'user:default/b',
        action: 'role.update',
        before: { name: 'r', members: [] },
        after: { name: 'r', members: ['user:default/c'] },
      }),
      expect.objectContaining({
        actor: 'user:default/a',
        action: 'role.create',
        before: null,
        after: { name: 'r', members: [] },
      }),
    ]);
    expect(new Date(all[0]!.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await withConnection(ds, (sql) => listAudit(sql, { limit: 10, beforeId: all[0]!.id }))).toEqual([
      all[1],
    ]);
    expect(await withConnection(ds, (sql) => listAudit(sql, { limit: 1 }))).toEqual([all[0]]);
  });
});
