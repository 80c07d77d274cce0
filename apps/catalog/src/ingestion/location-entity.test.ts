import { createHash } from 'node:crypto';
import {
  locationEntityName,
  locationEntityRef,
  locationEntityRefOfId,
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

  it('of a registered location are named after its stored ref, whatever its type and target now', () => {
    const entityRef = locationEntityRef({ type: 'url', target: 'https://github.com/org/old.yaml' });
    expect(locationToEntity({ ...spec, entityRef }).metadata.name).toBe(entityRef.split('/')[1]);
    const id = '6f1c1f43-4a0e-4c2a-9d55-0a4f7a1e2b3c';
    const idSha = createHash('sha1').update(`id:${id}`).digest('hex');
    expect(locationEntityRefOfId(id)).toBe(`location:default/generated-${idSha}`);
  });
});
