import * as backstage from '@backstage/catalog-model';
import * as model from './entity.js';

describe('entity constants', () => {
  it('match the names Backstage exports', () => {
    expect(model.DEFAULT_NAMESPACE).toBe(backstage.DEFAULT_NAMESPACE);
    expect(model.ANNOTATION_LOCATION).toBe(backstage.ANNOTATION_LOCATION);
    expect(model.ANNOTATION_ORIGIN_LOCATION).toBe(backstage.ANNOTATION_ORIGIN_LOCATION);
    expect(model.ANNOTATION_SOURCE_LOCATION).toBe(backstage.ANNOTATION_SOURCE_LOCATION);
    expect(model.ANNOTATION_VIEW_URL).toBe(backstage.ANNOTATION_VIEW_URL);
    expect(model.ANNOTATION_EDIT_URL).toBe(backstage.ANNOTATION_EDIT_URL);
  });

  it('name the other well-known annotations', () => {
    expect([
      model.ANNOTATION_ORPHAN,
      model.ANNOTATION_TECHDOCS_REF,
      model.ANNOTATION_TECHDOCS_ENTITY,
      model.ANNOTATION_TECHDOCS_ENTITY_PATH,
      model.ANNOTATION_SOURCE_TEMPLATE,
      model.STATUS_TYPE_CATALOG_PROCESSING,
    ]).toEqual([
      'backstage.io/orphan',
      'backstage.io/techdocs-ref',
      'backstage.io/techdocs-entity',
      'backstage.io/techdocs-entity-path',
      'backstage.io/source-template',
      'backstage.io/catalog-processing',
    ]);
  });

  it('type an entity that Backstage types accept too', () => {
    const entity: model.Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'a', links: [{ url: 'https://example.com' }], labels: { a: 'b' } },
      spec: { owner: 'team-a' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
      status: { items: [{ type: model.STATUS_TYPE_CATALOG_PROCESSING, level: 'error', message: 'x' }] },
    };
    const theirs: backstage.Entity = entity;
    expect(backstage.stringifyEntityRef(theirs)).toBe('component:default/a');
  });
});
