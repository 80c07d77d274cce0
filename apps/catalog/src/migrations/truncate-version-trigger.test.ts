import { createTestDatabase, type TestDatabase } from '../processing/testing/test-database.js';

describe('final_entities version triggers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(() => db.drop());

  const version = async () =>
    Number(
      (await db.dataSource.query('SELECT coalesce(sum(version), 0) AS v FROM final_entities_version'))[0].v,
    );

  it('TRUNCATE works and bumps the version like any other write', async () => {
    const before = await version();
    await db.dataSource.query('TRUNCATE final_entities');
    expect(await version()).toBe(before + 1);
  });
});
