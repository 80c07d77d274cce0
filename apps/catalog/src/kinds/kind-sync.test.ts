import { KindRegistry } from '@portal/catalog-model';
import pino from 'pino';
import { inTransaction } from '../processing/util/sql.js';
import { dueForProcessing, seedEntities, truncateAll, useTestDatabase } from '../processing/testing/seed.js';

import { KindSync } from './kind-sync.js';
import { deleteStoredKind } from './operations/delete-stored-kind.js';
import { clearKinds, eventually, widget } from './testing/stored-kinds.js';
import { upsertStoredKind } from './operations/upsert-stored-kind.js';

const logger = pino({ level: 'silent' });

describe('KindSync', () => {
  const db = useTestDatabase();
  const syncs: KindSync[] = [];
  beforeEach(async () => {
    await clearKinds(db().dataSource);
    await truncateAll(db().dataSource);
  });
  afterEach(async () => {
    await Promise.all(syncs.splice(0).map((s) => s.stop()));
  });

  function replica(options: { configured?: string[]; connectionString?: string; pollMs?: number } = {}) {
    const registry = new KindRegistry();
    if (options.configured?.includes('widget'))
      registry.register({ ...widget(), description: 'from config' });
    const sync = new KindSync({
      dataSource: db().dataSource,
      registry,
      configured: new Set(options.configured ?? []),
      logger,
      pollMs: options.pollMs ?? 60_000,
      fallbackPollMs: 200,
      connectionString: options.connectionString,
    });
    syncs.push(sync);
    return { registry, sync };
  }

  const store = (definition = widget()) =>
    inTransaction(db().dataSource, (sql) => upsertStoredKind(sql, definition));

  it('loads stored kinds at start and follows changes of another replica within a second', async () => {
    await store();
    const a = replica();
    await a.sync.start();
    expect(a.sync.loaded).toBe(true);
    expect(a.registry.get('Widget')?.validateSpec({ x: 1 })).toEqual([]);

    const strict = widget({ type: 'object', required: ['owner'] });
    const started = Date.now();
    await store(strict);
    await eventually(
      'the changed kind',
      () => a.registry.get('Widget')!.validateSpec({}).length === 1,
      1000,
      20,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a.sync.stored('WIDGET')?.definition).toEqual(strict);

    await inTransaction(db().dataSource, (sql) => deleteStoredKind(sql, 'Widget'));
    await eventually('the kind removed', () => a.registry.get('Widget') === undefined, 1000, 20);
    expect(a.registry.get('Component')).toBeDefined();
  });

  it('follows a change of spelling and never touches built-in or configured kinds', async () => {
    const a = replica({ configured: ['widget'] });
    await a.sync.start();
    await store({ ...widget(), kind: 'Gadget' });
    await eventually('Gadget', () => a.registry.get('Gadget'), 1000, 20);
    await inTransaction(db().dataSource, (sql) => deleteStoredKind(sql, 'Gadget'));
    await store({ ...widget(), kind: 'GADGET' });
    await eventually('GADGET', () => a.registry.get('GADGET'), 1000, 20);
    expect(a.registry.get('Gadget')).toBeUndefined();

    // A stored kind named like a configured one is ignored: the config wins.
    await store(widget({ type: 'object', required: ['x'] }));
    await a.sync.reload();
    expect(a.registry.get('Widget')?.definition.description).toBe('from config');
    await inTransaction(db().dataSource, (sql) => deleteStoredKind(sql, 'Widget'));
    await a.sync.reload();
    expect(a.registry.get('Widget')?.definition.description).toBe('from config');
  });

  it('polls when it cannot listen', async () => {
    const a = replica({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    await a.sync.start();
    await store();
    await eventually('the kind by polling', () => a.registry.get('Widget'), 2000, 20);
  });

  it('listens again after losing its connection, and misses nothing meanwhile', async () => {
    const a = replica();
    await a.sync.start();
    const ds = db().dataSource;
    const terminated = await ds.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE application_name = 'portal-catalog-kinds' AND datname = current_database()`,
    );
    expect(terminated.length).toBeGreaterThan(0);
    await store();
    await eventually('the kind while reconnecting', () => a.registry.get('Widget'), 3000);
    await eventually(
      'the listener back',
      async () =>
        Number(
          (
            await ds.query(
              `SELECT count(*) AS n FROM pg_stat_activity
                WHERE application_name = 'portal-catalog-kinds' AND datname = current_database()`,
            )
          )[0].n,
        ) > 0,
      5000,
    );
    const started = Date.now();
    await store(widget({ type: 'object', required: ['x'] }));
    await eventually(
      'the change through the new listener',
      () => a.registry.get('Widget')!.validateSpec({}).length === 1,
      1000,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('schedules failed entities of a changed kind again once it knows the change', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      {
        ref: 'widget:default/failed',
        nextUpdateIn: 100,
        errors: [{ name: 'InputError', message: 'unknown kind' }],
      },
      { ref: 'widget:default/fine', nextUpdateIn: 100, errors: [] },
    ]);
    const a = replica();
    await a.sync.start();
    expect(await dueForProcessing(ds)).toEqual([]);
    await store();
    await eventually('the failed entity due', async () => (await dueForProcessing(ds)).length > 0, 2000, 20);
    expect(await dueForProcessing(ds)).toEqual(['widget:default/failed']);
  });
});
