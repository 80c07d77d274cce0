import { withConnection } from '../util/sql.js';
import {
  entityFor,
  seedEntities,
  seedReferences,
  seedRelations,
  truncateAll,
  useTestDatabase,
} from '../testing/seed.js';
import { loadStitchInputs } from './load-stitch-inputs.js';

describe('loadStitchInputs', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('reads processed entity, errors, emitters, outgoing relations from every originator, previous hash', async () => {
    const ds = db().dataSource;
    const processed = entityFor('group:default/team', { type: 'team', children: [] });
    const ids = await seedEntities(ds, [
      { ref: 'group:default/team', processed, errors: [{ name: 'E', message: 'm' }] },
      { ref: 'component:default/a' },
      { ref: 'component:default/orphan', processed: entityFor('component:default/orphan') },
    ]);
    await seedReferences(ds, [
      ['provider:zeta', 'group:default/team'],
      ['provider:alpha', 'group:default/team'],
    ]);
    const a = ids.get('component:default/a')!;
    const team = ids.get('group:default/team')!;
    await seedRelations(ds, [
      [a, 'group:default/team', 'ownerOf', 'component:default/a'],
      [a, 'component:default/a', 'ownedBy', 'group:default/team'],
      [team, 'group:default/team', 'hasMember', 'user:default/u'],
      [ids.get('component:default/orphan')!, 'group:default/team', 'ownerOf', 'component:default/a'],
    ]);
    await ds.query(
      `INSERT INTO final_entities (entity_id, entity_ref, kind, namespace, name, final_entity, search, hash)
       VALUES ($1, 'component:default/orphan', 'component', 'default', 'orphan', $2, $3, 'prev')`,
      [
        ids.get('component:default/orphan'),
        JSON.stringify({
          ...entityFor('component:default/orphan'),
          metadata: { name: 'orphan', annotations: { 'backstage.io/orphan': 'true' } },
        }),
        JSON.stringify({
          kind: ['component'],
          'metadata.name': ['orphan'],
          'metadata.uid': [ids.get('component:default/orphan')],
        }),
      ],
    );
    const inputs = await withConnection(ds, (sql) =>
      loadStitchInputs(sql, [team, a, ids.get('component:default/orphan')!]),
    );
    const byRef = new Map(inputs.map((i) => [i.entityRef, i]));
    expect(byRef.get('group:default/team')).toEqual({
      entityId: team,
      entityRef: 'group:default/team',
      processedEntity: processed,
      errors: [{ name: 'E', message: 'm' }],
      referenced: true,
      emitter: 'alpha',
      relations: [
        { type: 'hasMember', targetRef: 'user:default/u' },
        { type: 'ownerOf', targetRef: 'component:default/a' },
      ],
      previousHash: null,
      wasOrphan: false,
    });
    expect(byRef.get('component:default/a')).toMatchObject({
      processedEntity: null,
      referenced: false,
      emitter: null,
    });
    expect(byRef.get('component:default/orphan')).toMatchObject({
      previousHash: 'prev',
      wasOrphan: true,
      referenced: false,
    });
  });
});
