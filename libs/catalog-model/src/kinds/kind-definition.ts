// The shape of a kind: which apiVersions it accepts, the JSON schema of its spec, and the relations
// its spec fields imply.

/** A JSON schema (draft-07) object. */
export type JsonSchema = { [keyword: string]: unknown };

/** A spec field that names other entities, and the relations it implies in both directions. */
export interface KindRelationDefinition {
  /** Dotted path from the entity root, starting with `spec.`; its value is a ref string or a list of them. */
  field: string;
  /** The relation written on this entity (`ownedBy`). */
  type: string;
  /** The relation written on the target entity (`ownerOf`). */
  inverse: string;
  /** The kind of a ref that names none; without it such a ref is an error. */
  defaultKind?: string;
}

/** A kind, built-in or registered at runtime. */
export interface KindDefinition {
  /** One apiVersion or several, e.g. `backstage.io/v1alpha1`. */
  apiVersion: string | string[];
  kind: string;
  /** Schema of `spec`. */
  specSchema: JsonSchema;
  relations: KindRelationDefinition[];
  description?: string;
}
