import pg from 'pg';
import { useTestDatabase } from '../../testing/test-database.js';
import { inTransaction, withConnection } from '../sql.js';
import { bumpPolicyVersion } from './bump-policy-version.js';
import { POLICY_CHANNEL } from './policy-channel.js';
import { readPolicyVersion } from './read-policy-version.js';

describe('bumpPolicyVersion / readPolicyVersion', () => {
  const db = useTestDatabase();

  it('increments the version and notifies listeners at commit, not on rollback', async () => {
    const ds = db().dataSource;
    const start = await withConnection(ds, readPolicyVersion);
    expect(start).toBe(1);
    const listener = new pg.Client({ connectionString: db().url });
    await listener.connect();
    const seen: string[] = [];
    listener.on('notification', (n) => seen.push(n.payload ?? ''));
    await listener.query(`LISTEN ${POLICY_CHANNEL}`);
    try {
      await expect(
        inTransaction(ds, async (sql) => {
          await bumpPolicyVersion(sql);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await inTransaction(ds, bumpPolicyVersion)).toBe(2);
      expect(await withConnection(ds, readPolicyVersion)).toBe(2);
      const deadline = Date.now() + 3000;
      while (!seen.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(['2']);
    } finally {
      await listener.end();
    }
  });
});
