import pg from 'pg';
import { pino } from 'pino';
import { NotificationListener } from './notification-listener.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('NotificationListener', () => {
  const sql = new pg.Client({ connectionString: SERVER });
  beforeAll(() => sql.connect());
  afterAll(() => sql.end());

  it('delivers notifications and listens again after its connection is killed', async () => {
    let notified = 0;
    let listened = 0;
    const listener = new NotificationListener({
      connectionString: SERVER,
      channel: 'portal_listener_test',
      name: 'portal-listener-test',
      logger: pino({ level: 'silent' }),
      onNotify: () => notified++,
      onListening: () => listened++,
    });
    await listener.start();
    try {
      await until('listening', () => listener.listening);
      await sql.query("NOTIFY portal_listener_test, 'x'");
      await sql.query("NOTIFY other_channel, 'x'");
      await until('a notification', () => notified === 1);
      await sql.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portal-listener-test'",
      );
      await until('listening again', () => listened === 2);
      await sql.query("NOTIFY portal_listener_test, 'y'");
      await until('a second notification', () => notified === 2);
    } finally {
      await listener.stop();
    }
    expect(listener.listening).toBe(false);
  });

  it('refuses a channel that is not a plain identifier', () => {
    expect(
      () =>
        new NotificationListener({
          connectionString: SERVER,
          channel: 'x; DROP TABLE y',
          name: 'n',
          logger: pino({ level: 'silent' }),
          onNotify: () => undefined,
        }),
    ).toThrow('Invalid notification channel');
  });
});
