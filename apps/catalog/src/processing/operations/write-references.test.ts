import { withConnection } from '../util/sql.js';
import {
  referenceLines,
  seedEntities,
  seedReferences,
  truncateAll,
  useTestDatabase,
} from '../testing/seed.js';
import { writeReferences } from './write-references.js';

describe('writeReferences', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('adds (idempotently) and removes provider and parent references', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'location:default/l' },
      { ref: 'component:default/a' },
      { ref: 'component:default/b' },
    ]);
    await seedReferences(ds, [
      ['provider:p', 'location:default/l'],
      ['location:default/l', 'component:default/a'],
      ['provider:p', 'component:default/a'],
    ]);
    await withConnection(ds, (sql) =>
      writeReferences(sql, {
        added: [
          { sourceEntityRef: 'location:default/l', targetEntityRef: 'component:default/b' },
          { sourceEntityRef: 'location:default/l', targetEntityRef: 'component:default/a' },
          { sourceKey: 'q', targetEntityRef: 'component:default/b' },
        ],
        removed: [{ sourceKey: 'p', targetEntityRef: 'component:default/a' }],
      }),
    );
    expect(await referenceLines(ds)).toEqual([
      'location:default/l -> component:default/a',
      'location:default/l -> component:default/b',
      'provider:p -> location:default/l',
      'provider:q -> component:default/b',
    ]);
  });

  it('refuses a reference to an entity that does not exist (the graph stays consistent)', async () => {
    await expect(
      withConnection(db().dataSource, (sql) =>
        writeReferences(sql, { added: [{ sourceKey: 'p', targetEntityRef: 'component:default/nope' }] }),
      ),
    ).rejects.toThrow(/foreign key/);
  });
});
