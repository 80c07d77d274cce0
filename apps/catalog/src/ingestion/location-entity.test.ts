import { createHash } from 'node:crypto';
import {
  locationEntityName,
  locationEntityRef,
  locationToDeferredEntity,
  locationToEntity,
} from './location-entity.js';

describe('location entities', () => {
  const spec = { type: 'url', target: 'https://github.com/org/repo/blob/main/catalog-info.yaml' };
  const sha = createHash('sha1').update(`${spec.type}:${spec.target}`).digest('hex');

  it("are named generated-<sha1('type:target')> like Backstage's", () => {
    expect(locationEntityName(spec)).toBe(`generated-${sha}`);
    expect(locationEntityRef(spec)).toBe(`location:default/generated-${sha}`);
  });

  it('carry the location as spec and as their own and origin location', () => {
    expect(locationToEntity(spec)).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: {
        name: `generated-${sha}`,
        annotations: {
          'backstage.io/managed-by-location': `url:${spec.target}`,
          'backstage.io/managed-by-origin-location': `url:${spec.target}`,
        },
      },
      spec: { type: 'url', target: spec.target },
    });
    expect(locationToEntity({ ...spec, presence: 'optional' }).spec).toEqual({
      ...spec,
      presence: 'optional',
    });
    expect(locationToDeferredEntity(spec).locationKey).toBe(`url:${spec.target}`);
  });
});
