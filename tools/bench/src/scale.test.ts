/**
 * 100,000 entities: generated and self-contained. Prints how long generation took; asserts no time
 * (this is not a timed test). Rendering them to YAML takes longer and is measured by
 * `portal-bench generate --count 100000` (see README.md).
 */
import { jest } from '@jest/globals';
import { KindRegistry, relationsOf, stringifyEntityRef } from '@portal/catalog-model';
import { generateEntities, planCounts } from './generate-entities.js';

jest.setTimeout(300_000);

it('generates 100k entities with no dangling relation', () => {
  const started = performance.now();
  const entities = generateEntities(100_000, 42);
  console.log(`100k entities generated in ${((performance.now() - started) / 1000).toFixed(2)} s`);

  expect(entities).toHaveLength(100_000);
  expect(entities.filter((entity) => entity.kind === 'Component')).toHaveLength(
    planCounts(100_000).components,
  );
  const refs = new Set(entities.map((entity) => stringifyEntityRef(entity)));
  expect(refs.size).toBe(100_000);
  const kinds = new KindRegistry();
  const dangling = entities.flatMap((entity) =>
    relationsOf(entity, kinds).forward.filter(({ target }) => !refs.has(target)),
  );
  expect(dangling).toEqual([]);
});
