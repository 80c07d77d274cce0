import * as model from './index.js';

describe('@portal/catalog-model', () => {
  it('exports its public API', () => {
    for (const name of [
      'parseEntityRef',
      'stringifyEntityRef',
      'getCompoundEntityRef',
      'toCanonicalRef',
      'validateEntity',
      'isValidEntity',
      'relationsOf',
      'parseDescriptors',
      'DescriptorError',
      'KindRegistry',
      'KindDefinitionError',
      'checkKindDefinition',
      'checkSchemaSafety',
      'forbiddenLinkScheme',
      'isValidEntityName',
      'BUILTIN_KINDS',
      'RELATION_OWNED_BY',
      'ANNOTATION_LOCATION',
      'DEFAULT_NAMESPACE',
    ]) {
      expect(model).toHaveProperty(name);
    }
  });

  it('works end to end: descriptor text to validated entities and their relations', () => {
    const kinds = new model.KindRegistry();
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata: {name: web, namespace: shop}',
      'spec: {type: website, lifecycle: production, owner: team-a, consumesApis: [orders]}',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata: {name: Bad Name}',
      'spec: {type: website}',
    ].join('\n');
    const [web, bad] = model.parseDescriptors(text);
    if (!('entity' in web) || !('entity' in bad)) throw new Error('expected two entities');
    expect(model.validateEntity(web.entity, kinds)).toEqual([]);
    expect(model.validateEntity(bad.entity, kinds).map((p) => p.path)).toEqual([
      'metadata.name',
      'spec.lifecycle',
      'spec.owner',
    ]);
    if (!model.isValidEntity(web.entity, kinds)) throw new Error('expected a valid entity');
    expect(model.relationsOf(web.entity, kinds).forward.map((r) => `${r.type} ${r.target}`)).toEqual([
      'ownedBy group:shop/team-a',
      'consumesApi api:shop/orders',
    ]);
  });
});
