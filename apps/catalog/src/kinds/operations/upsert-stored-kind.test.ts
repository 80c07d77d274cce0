import pg from 'pg';
import { inTransaction, withConnection } from '../../processing/util/sql.js';
import { useTestDatabase } from '../../processing/testing/seed.js';
import { listStoredKinds } from './list-stored-kinds.js';
import { KINDS_CHANNEL } from './stored-kind.js';
import { clearKinds, widget } from '../testing/stored-kinds.js';
import { upsertStoredKind } from './upsert-stored-kind.js';

describe('upsertStoredKind', () => {
  const db = useTestDatabase();
  beforeEach(() => clearKinds(db().dataSource));

  it('creates, updates, leaves an equal definition alone, and refuses another spelling', async () => {
    const ds = db().dataSource;
    const created = await inTransaction(ds, (sql) => upsertStoredKind(sql, widget()));
    expect(created.outcome).toBe('created');
    expect(created.stored.definition).toEqual(widget());

    const same = await inTransaction(ds, (sql) => upsertStoredKind(sql, widget()));
    expect(same).toEqual({ outcome: 'unchanged', stored: created.stored });

    const changed = await inTransaction(ds, (sql) =>
      upsertStoredKind(sql, widget({ type: 'object', required: ['a'] })),
    );
    expect(changed.outcome).toBe('updated');
    expect(BigInt(changed.stored.revision)).toBeGreaterThan(BigInt(created.stored.revision));
    expect(changed.stored.createdAt).toBe(created.stored.createdAt);

    const other = await inTransaction(ds, (sql) => upsertStoredKind(sql, { ...widget(), kind: 'WIDGET' }));
    expect(other.outcome).toBe('conflict');
    expect(other.stored.kind).toBe('Widget');
    expect((await withConnection(ds, listStoredKinds)).map((k) => k.definition)).toEqual([
      widget({ type: 'object', required: ['a'] }),
    ]);
  });

  it('notifies catalog_kinds at commit, only when something changed', async () => {
    const ds = db().dataSource;
    const listener = new pg.Client({ connectionString: (ds.options as { url: string }).url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => payloads.push(n.payload ?? ''));
    await listener.query(`LISTEN ${KINDS_CHANNEL}`);
    try {
      await inTransaction(ds, (sql) => upsertStoredKind(sql, widget()));
      await inTransaction(ds, (sql) => upsertStoredKind(sql, widget()));
      await listener.query('SELECT 1'); // notifications that arrived are delivered before this answer
      expect(payloads).toEqual(['Widget']);
    } finally {
      await listener.end();
    }
  });
});
