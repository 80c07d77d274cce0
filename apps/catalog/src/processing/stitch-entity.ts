// Builds the final form of an entity from its processed form, relations, errors and references.
import { randomUUID } from 'node:crypto';
import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORPHAN,
  ANNOTATION_VIEW_URL,
  DEFAULT_NAMESPACE,
  STATUS_TYPE_CATALOG_PROCESSING,
  type Entity,
  type EntityStatusItem,
} from '@portal/catalog-model';
import { buildSearchColumns } from '../entities/query/search-document.js';
import type { EntityEventType } from './operations/append-entity-events.js';
import type { StitchInput } from './operations/load-stitch-inputs.js';
import type { StitchedEntity } from './operations/write-stitched-entities.js';
import { hashOfOrdered } from './util/stable-json.js';

// `javascript:` with the control characters and whitespace browsers ignore, as Backstage checks it.
const SCRIPT_PROTOCOL =
  // eslint-disable-next-line no-control-regex
  /^[\u0000-\u001F ]*j[\r\n\t]*a[\r\n\t]*v[\r\n\t]*a[\r\n\t]*s[\r\n\t]*c[\r\n\t]*r[\r\n\t]*i[\r\n\t]*p[\r\n\t]*t[\r\n\t]*:/i;
const REJECTED_URL = 'https://backstage.io/annotation-rejected-for-security-reasons';

/** The final entity without its etag, and the hash that decides whether it changed. */
export interface FinalForm {
  entity: Entity;
  hash: string;
  orphan: boolean;
  hasErrors: boolean;
}

/**
 * processed entity + `metadata.uid` (the refresh_state id) + the default namespace + the outgoing
 * relations (whoever originated them, distinct and sorted) + the processing errors as
 * `status.items` + `backstage.io/orphan: "true"` when nothing emits it any more. Undefined for an
 * entity that never processed successfully: it is not visible. The etag is left out of the hash
 * and given a fresh value only when the hash changes.
 */
export function buildFinalForm(input: StitchInput): FinalForm | undefined {
  if (!input.processedEntity) return undefined;
  const entity = structuredClone(input.processedEntity);
  const metadata = entity.metadata;
  metadata.namespace = metadata.namespace || DEFAULT_NAMESPACE;
  metadata.uid = input.entityId;
  delete metadata.etag;
  const orphan = !input.referenced;
  if (orphan) metadata.annotations = { ...metadata.annotations, [ANNOTATION_ORPHAN]: 'true' };
  for (const key of [ANNOTATION_VIEW_URL, ANNOTATION_EDIT_URL]) {
    const value = metadata.annotations?.[key];
    if (typeof value === 'string' && SCRIPT_PROTOCOL.test(value)) metadata.annotations![key] = REJECTED_URL;
  }
  entity.relations = input.relations.map((r) => ({ type: r.type, targetRef: r.targetRef }));
  const errorItems: EntityStatusItem[] = (input.errors ?? []).map((error) => ({
    type: STATUS_TYPE_CATALOG_PROCESSING,
    level: 'error',
    message: `${error.name}: ${error.message}`,
    error,
  }));
  if (errorItems.length)
    entity.status = { ...entity.status, items: [...(entity.status?.items ?? []), ...errorItems] };
  return { entity, hash: hashOfOrdered(entity), orphan, hasErrors: errorItems.length > 0 };
}

/** The outbox event a changed final entity gets. */
export function eventTypeFor(form: FinalForm, wasOrphan: boolean): EntityEventType {
  if (form.orphan && !wasOrphan) return 'orphaned';
  return form.hasErrors ? 'error' : 'upserted';
}

/** The row to write for a final form whose hash changed: fresh etag, search columns, event. */
export function toStitchedEntity(input: StitchInput, form: FinalForm): StitchedEntity {
  const finalEntity: Entity = {
    ...form.entity,
    metadata: { ...form.entity.metadata, etag: randomUUID().replace(/-/g, '') },
  };
  const { search, originals } = buildSearchColumns(finalEntity);
  const location = finalEntity.metadata.annotations?.[ANNOTATION_LOCATION];
  return {
    entityId: input.entityId,
    entityRef: input.entityRef,
    kind: finalEntity.kind.toLowerCase(),
    namespace: (finalEntity.metadata.namespace ?? DEFAULT_NAMESPACE).toLowerCase(),
    name: finalEntity.metadata.name.toLowerCase(),
    finalEntity,
    search,
    searchOriginal: originals,
    hash: form.hash,
    eventType: eventTypeFor(form, input.wasOrphan),
    eventSource: typeof location === 'string' && location ? location : input.emitter,
  };
}
