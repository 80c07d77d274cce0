import { catalogV1 } from '@portal/proto';
import type { GrpcClients } from '@portal/platform';

interface EntityLike {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { memberOf?: unknown; parent?: unknown };
  relations?: Array<{ type?: string; targetRef?: string }>;
}

/** `team-a` → `group:<namespace>/team-a`; `group:team-a` → `group:default/team-a`; full refs lower-cased. */
export function normalizeRef(ref: string, defaultKind: string, defaultNamespace = 'default'): string {
  let kind = defaultKind;
  let rest = ref;
  const colon = ref.indexOf(':');
  if (colon > 0) {
    kind = ref.slice(0, colon);
    rest = ref.slice(colon + 1);
  }
  const slash = rest.indexOf('/');
  const [namespace, name] =
    slash >= 0 ? [rest.slice(0, slash), rest.slice(slash + 1)] : [defaultNamespace, rest];
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Group refs an entity points up to: memberOf (users) or parent (groups), from relations and spec. */
export function parentRefsOf(entity: EntityLike): string[] {
  const namespace = entity.metadata?.namespace ?? 'default';
  const fromRelations = (entity.relations ?? [])
    .filter((r) => r.type === 'memberOf' || r.type === 'childOf')
    .map((r) => r.targetRef)
    .filter((r): r is string => typeof r === 'string')
    .map((r) => r.toLowerCase());
  const fromSpec = [...strings(entity.spec?.memberOf), ...strings(entity.spec?.parent)].map((r) =>
    normalizeRef(r, 'group', namespace),
  );
  return [...new Set([...fromRelations, ...fromSpec])].filter((r) => r.startsWith('group:'));
}

/** Fetches entities by ref (null for missing ones). */
export type EntityFetcher = (refs: string[]) => Promise<Array<EntityLike | null>>;

export function catalogEntityFetcher(grpc: GrpcClients, onBehalfOf?: string): EntityFetcher {
  return async (refs) => {
    const res = await grpc.unary(
      'catalog',
      catalogV1.CatalogServiceClient,
      (c) => c.getEntitiesByRefs,
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.memberOf', 'spec.parent', 'relations'],
        filterJson: '',
      },
      { deadlineMs: 3000, attempts: 2, ...(onBehalfOf ? { onBehalfOf } : {}) },
    );
    return res.items.map((item) =>
      item.json.length ? (JSON.parse(Buffer.from(item.json).toString('utf8')) as EntityLike) : null,
    );
  };
}

/**
 * A user's ownership refs as the sign-in would put them in `ent`: the user and every group they
 * belong to, transitively through parent groups (bounded depth; cycles are harmless).
 */
export async function resolveOwnershipRefs(
  userRef: string,
  fetchEntities: EntityFetcher,
): Promise<{ found: boolean; refs: string[] }> {
  const user = normalizeRef(userRef, 'user');
  const [entity] = await fetchEntities([user]);
  if (!entity) return { found: false, refs: [user] };
  const seen = new Set<string>([user]);
  let frontier = parentRefsOf(entity).filter((r) => !seen.has(r));
  for (let depth = 0; frontier.length && depth < 20; depth++) {
    frontier.forEach((r) => seen.add(r));
    const groups = await fetchEntities(frontier);
    frontier = [...new Set(groups.flatMap((g) => (g ? parentRefsOf(g) : [])))].filter((r) => !seen.has(r));
  }
  return { found: true, refs: [...seen] };
}
