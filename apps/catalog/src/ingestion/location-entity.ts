// Registered locations as the Location entities Backstage generates for them.
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@portal/catalog-model';
import { stringifyLocationRef, type LocationSpec } from '../processing/location-ref.js';
import { sha1 } from '../processing/util/stable-json.js';
import type { DeferredEntity } from './entity-provider.js';

/** `generated-<sha1("type:target")>`, Backstage's name for a registered location's entity. */
export function locationEntityName(location: LocationSpec): string {
  return `generated-${sha1(`${location.type}:${location.target}`)}`;
}

/** `location:default/generated-…` */
export function locationEntityRef(location: LocationSpec): string {
  return stringifyEntityRef({ kind: 'Location', namespace: 'default', name: locationEntityName(location) });
}

/**
 * The Location entity of a registered location: spec `{type, target}`, managed by and originating
 * at the location itself (so relative targets in the file it reads resolve against it).
 */
export function locationToEntity(location: LocationSpec & { presence?: 'required' | 'optional' }): Entity {
  const ref = stringifyLocationRef(location);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: locationEntityName(location),
      annotations: { [ANNOTATION_LOCATION]: ref, [ANNOTATION_ORIGIN_LOCATION]: ref },
    },
    spec: {
      type: location.type,
      target: location.target,
      ...(location.presence ? { presence: location.presence } : {}),
    },
  };
}

/** The location's entity as a provider emits it: owned by the location's own key. */
export function locationToDeferredEntity(
  location: LocationSpec & { presence?: 'required' | 'optional' },
): DeferredEntity {
  return { entity: locationToEntity(location), locationKey: stringifyLocationRef(location) };
}
