import type { KindDefinition, KindRelationDefinition } from './kind-definition.js';
import { KindRegistry } from './kind-registry.js';

describe('KindDefinition', () => {
  it('describes what the registry takes, one apiVersion or several', () => {
    const relation: KindRelationDefinition = { field: 'spec.team', type: 'ownedBy', inverse: 'ownerOf' };
    const single: KindDefinition = {
      apiVersion: 'v1',
      kind: 'Single',
      specSchema: {},
      relations: [relation],
    };
    const several: KindDefinition = { ...single, kind: 'Several', apiVersion: ['a.io/v1', 'a.io/v2'] };
    const kinds = new KindRegistry({ builtins: false });
    expect(kinds.register(single).definition.apiVersion).toEqual(['v1']);
    expect(kinds.register(several).definition.apiVersion).toEqual(['a.io/v1', 'a.io/v2']);
    const normalized: KindDefinition = kinds.get('Single')!.definition;
    expect(normalized.relations).toEqual([relation]);
  });
});
