// Registered locations as the Location entities Backstage generates for them.
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
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
 * The ref given to a registered location whose `locationEntityRef` is already held by another one
 * (a location that was moved away from this type and target by `PUT /locations/{id}` keeps its
 * ref): `location:default/generated-<sha1("id:<location id>")>`, unique as the id is.
 */
export function locationEntityRefOfId(id: string): string {
  return stringifyEntityRef({
    kind: 'Location',
    namespace: 'default',
    name: `generated-${sha1(`id:${id}`)}`,
  });
}

/** A location spec, with the stored ref of its entity when it is a registered location. */
export type LocationEntitySource = LocationSpec & { presence?: 'required' | 'optional'; entityRef?: string };

/**
 * The Location entity of a registered location: spec `{type, target}`, managed by and originating
 * at the location itself (so relative targets in the file it reads resolve against it). Named after
 * its stored `entityRef` when it has one (it stays when type and target change), else after type
 * and target.
 */
export function locationToEntity(location: LocationEntitySource): Entity {
  const ref = stringifyLocationRef(location);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: location.entityRef ? parseEntityRef(location.entityRef).name : locationEntityName(location),
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
export function locationToDeferredEntity(location: LocationEntitySource): DeferredEntity {
  return { entity: locationToEntity(location), locationKey: stringifyLocationRef(location) };
}
