// The entity envelope, its parts, and the well-known annotations (backstage-api.md §2).

/** A JSON value as entities carry it. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/** The namespace of an entity that names none. */
export const DEFAULT_NAMESPACE = 'default';

/** An external link attached to an entity. */
export type EntityLink = {
  url: string;
  title?: string;
  icon?: string;
  type?: string;
};

/** `metadata`: identity, labels, annotations and the like. Extra keys are allowed. */
export interface EntityMeta extends JsonObject {
  /** Server-assigned UUID. */
  uid?: string;
  /** Server-assigned opaque version tag. */
  etag?: string;
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  tags?: string[];
  links?: EntityLink[];
}

/** A directed relation from the entity to `targetRef` (a full, lowercase entity ref). */
export type EntityRelation = {
  type: string;
  targetRef: string;
};

export type EntityStatusLevel = 'info' | 'warning' | 'error';

/** An error as it travels inside JSON. */
export type SerializedError = {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  [key: string]: JsonValue | undefined;
};

export type EntityStatusItem = {
  type: string;
  level: EntityStatusLevel;
  message: string;
  error?: SerializedError;
};

export type EntityStatus = {
  items?: EntityStatusItem[];
};

/** The envelope of every catalog entity. */
export type Entity = {
  apiVersion: string;
  kind: string;
  metadata: EntityMeta;
  spec?: JsonObject;
  relations?: EntityRelation[];
  status?: EntityStatus;
};

/** The three parts that identify an entity. */
export type CompoundEntityRef = {
  kind: string;
  namespace: string;
  name: string;
};

/** The location (`<type>:<target>`) that emitted the entity. */
export const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';
/** The registered root location the entity descends from. */
export const ANNOTATION_ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';
/** Where the entity's source lives, e.g. `url:https://host/org/repo/tree/main/`. */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';
/** A URL to view the descriptor in its source system. */
export const ANNOTATION_VIEW_URL = 'backstage.io/view-url';
/** A URL to edit the descriptor in its source system. */
export const ANNOTATION_EDIT_URL = 'backstage.io/edit-url';
/** `"true"` when no location emits the entity any more. */
export const ANNOTATION_ORPHAN = 'backstage.io/orphan';
/** Where the entity's documentation sources are (`dir:.`, `url:…`). */
export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';
/** The entity whose documentation this entity shows. */
export const ANNOTATION_TECHDOCS_ENTITY = 'backstage.io/techdocs-entity';
/** A path inside the documentation of the `techdocs-entity`. */
export const ANNOTATION_TECHDOCS_ENTITY_PATH = 'backstage.io/techdocs-entity-path';
/** The template that created the entity. */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

/** The `status.items[].type` of processing errors. */
export const STATUS_TYPE_CATALOG_PROCESSING = 'backstage.io/catalog-processing';
