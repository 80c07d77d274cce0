/** The part of a catalog entity the shared components need. */
export interface EntityLike {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

/** Parses `kind:namespace/name` (kind and namespace optional, with defaults), as Backstage does. */
export function parseEntityRef(
  ref: string,
  defaults: { kind?: string; namespace?: string } = {},
): EntityName {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) throw new Error(`Invalid entity ref '${ref}'`);
  const kind = match[1] ?? defaults.kind;
  if (!kind) throw new Error(`Entity ref '${ref}' has no kind`);
  return { kind, namespace: match[2] ?? defaults.namespace ?? 'default', name: match[3]! };
}

export function stringifyEntityRef(entity: EntityName | EntityLike): string {
  const name = 'metadata' in entity ? entity.metadata.name : entity.name;
  const namespace = ('metadata' in entity ? entity.metadata.namespace : entity.namespace) ?? 'default';
  return `${entity.kind.toLowerCase()}:${namespace}/${name}`;
}

/** The shell's route of an entity's page: `/catalog/<namespace>/<kind>/<name>`. */
export function entityRoute(entity: EntityName): string {
  const part = (s: string) => encodeURIComponent(s);
  return `/catalog/${part(entity.namespace)}/${part(entity.kind.toLowerCase())}/${part(entity.name)}`;
}
