// Entity references: `[<kind>:][<namespace>/]<name>`, parsed and written the way Backstage does.
import { DEFAULT_NAMESPACE, type CompoundEntityRef, type Entity } from './entity.js';

/** Defaults for the parts a reference leaves out. */
export interface EntityRefContext {
  /** The kind to use when the reference has none; without it such a reference is an error. */
  defaultKind?: string;
  /** The namespace to use when the reference has none; `default` when empty. */
  defaultNamespace?: string;
}

/** A reference given as parts; missing parts come from the context. */
export type EntityRefParts = {
  kind?: string;
  namespace?: string;
  name: string;
};

const FORM = '[<kind>:][<namespace>/]<name>';

function describe(ref: unknown): string {
  try {
    return String(JSON.stringify(ref));
  } catch {
    return String(ref);
  }
}

function splitRefString(ref: string): { kind?: string; namespace?: string; name: string } {
  const slash = ref.indexOf('/');
  let colon = ref.indexOf(':');
  // A colon after the first slash belongs to the name (`ns/a:b` has no kind).
  if (slash >= 0 && slash < colon) colon = -1;
  const kind = colon >= 0 ? ref.slice(0, colon) : undefined;
  const namespace = slash >= 0 ? ref.slice(colon + 1, slash) : undefined;
  const name = ref.slice(Math.max(colon, slash) + 1);
  if (kind === '' || namespace === '' || name === '') {
    throw new TypeError(`Entity reference "${ref}" was not on the form ${FORM}`);
  }
  return { kind, namespace, name };
}

function part(ref: object, key: 'kind' | 'namespace' | 'name'): string | undefined {
  const value: unknown = (ref as Record<string, unknown>)[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(`Entity reference ${describe(ref)} had a ${key} that is not a string`);
  }
  return value;
}

/**
 * Parses a reference string or completes a parts object. Throws a TypeError for a malformed string
 * and an Error for an empty reference or a missing kind, namespace or name.
 */
export function parseEntityRef(ref: string | EntityRefParts, context?: EntityRefContext): CompoundEntityRef {
  if (!ref) throw new Error('Entity reference must not be empty');
  const defaultNamespace = context?.defaultNamespace || DEFAULT_NAMESPACE;
  let kind: string | undefined;
  let namespace: string | undefined;
  let name: string | undefined;
  if (typeof ref === 'string') {
    const parts = splitRefString(ref);
    kind = parts.kind ?? context?.defaultKind;
    namespace = parts.namespace ?? defaultNamespace;
    name = parts.name;
  } else if (typeof ref === 'object') {
    kind = part(ref, 'kind') ?? context?.defaultKind;
    namespace = part(ref, 'namespace') ?? defaultNamespace;
    name = part(ref, 'name');
  } else {
    name = undefined;
    kind = context?.defaultKind;
    namespace = defaultNamespace;
  }
  if (!kind) {
    throw new Error(
      `Entity reference ${describe(ref)} had missing or empty kind (e.g. did not start with "component:" or similar)`,
    );
  }
  if (!namespace) throw new Error(`Entity reference ${describe(ref)} had missing or empty namespace`);
  if (!name) throw new Error(`Entity reference ${describe(ref)} had missing or empty name`);
  return { kind, namespace, name };
}

/**
 * Writes `kind:namespace/name` in lowercase. A missing namespace becomes `default`; like Backstage,
 * an empty-string namespace is kept as it is.
 */
export function stringifyEntityRef(ref: { kind: string; namespace?: string; name: string } | Entity): string {
  let kind: string;
  let namespace: string;
  let name: string;
  if ('metadata' in ref) {
    kind = ref.kind;
    namespace = ref.metadata.namespace ?? DEFAULT_NAMESPACE;
    name = ref.metadata.name;
  } else {
    kind = ref.kind;
    namespace = ref.namespace ?? DEFAULT_NAMESPACE;
    name = ref.name;
  }
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

/** The kind, namespace (`default` when missing or empty) and name of an entity, case kept. */
export function getCompoundEntityRef(entity: Entity): CompoundEntityRef {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace || DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}

/**
 * The canonical form used for storage and comparison: every part present, all lowercase.
 * Throws like {@link parseEntityRef} when a part is missing.
 */
export function toCanonicalRef(ref: string | EntityRefParts, context?: EntityRefContext): string {
  return stringifyEntityRef(parseEntityRef(ref, context));
}
