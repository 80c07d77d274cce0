import { Config, FileReader, UrlReader } from '@portal/platform';
import { KindRegistry, type Entity } from '@portal/catalog-model';
import { CatalogRules } from './catalog-rules.js';
import { EntityProcessor } from './entity-processor.js';
import { LocationProcessor } from './location-processor.js';
import { component, silentLogger } from './testing/fixtures.js';
import type { CatalogProcessor } from './types.js';

function processorWith(processors: CatalogProcessor[] = []) {
  return new EntityProcessor({
    kinds: new KindRegistry(),
    processors,
    locations: new LocationProcessor({
      urlReader: new UrlReader({ allow: [] }),
      fileReader: new FileReader([]),
      rules: CatalogRules.fromConfig(Config.fromObject({})),
      logger: silentLogger(),
    }),
  });
}

describe('EntityProcessor', () => {
  it('validates, then derives the relations in both directions', async () => {
    const entity = component('a', { owner: 'team-a', dependsOn: ['component:b'] });
    const result = await processorWith().process(entity, 'component:default/a');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entity).toEqual(entity);
    expect(result.entity).not.toBe(entity);
    expect(result.relations).toEqual([
      { source: 'component:default/a', type: 'ownedBy', target: 'group:default/team-a' },
      { source: 'component:default/a', type: 'dependsOn', target: 'component:default/b' },
      { source: 'group:default/team-a', type: 'ownerOf', target: 'component:default/a' },
      { source: 'component:default/b', type: 'dependencyOf', target: 'component:default/a' },
    ]);
    expect(result.children).toEqual([]);
    expect(result.errors).toEqual([]);
  });

  it('fails an invalid entity, naming the fields', async () => {
    const entity = { ...component('a'), spec: { type: 'service' } } as Entity;
    const result = await processorWith().process(entity, 'component:default/a');
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.name).toBe('InputError');
    expect(result.errors[0]!.message).toMatch(/^Entity component:default\/a is invalid: .*lifecycle.*owner/);
  });

  it('runs extra processors in order with their relations and errors', async () => {
    const calls: string[] = [];
    const result = await processorWith([
      {
        name: 'first',
        process(entity, emit) {
          calls.push('first');
          emit.relation({ source: 'component:default/a', type: 'custom', target: 'resource:default/r' });
          emit.error(new Error('just so you know'));
          return { ...entity, metadata: { ...entity.metadata, title: 'Titled' } };
        },
      },
      {
        name: 'second',
        process(entity) {
          calls.push(`second saw ${entity.metadata.title}`);
        },
      },
    ]).process(component('a'), 'component:default/a');
    expect(calls).toEqual(['first', 'second saw Titled']);
    expect(result.ok && result.entity.metadata.title).toBe('Titled');
    expect(result.ok && result.relations[0]).toEqual({
      source: 'component:default/a',
      type: 'custom',
      target: 'resource:default/r',
    });
    expect(result.errors).toEqual([{ name: 'Error', message: 'just so you know' }]);
  });

  it('fails when a processor throws or renames the entity', async () => {
    const thrown = await processorWith([
      {
        name: 'boom',
        process() {
          throw new TypeError('nope');
        },
      },
    ]).process(component('a'), 'component:default/a');
    expect(thrown).toEqual({
      ok: false,
      errors: [{ name: 'TypeError', message: 'Processor boom failed on component:default/a: nope' }],
    });
    const renamed = await processorWith([
      { name: 'rename', process: (entity) => ({ ...entity, metadata: { ...entity.metadata, name: 'b' } }) },
    ]).process(component('a'), 'component:default/a');
    expect(renamed.ok).toBe(false);
    expect(renamed.errors[0]!.name).toBe('ConflictError');
  });
});
