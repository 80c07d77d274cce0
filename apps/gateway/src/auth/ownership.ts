import { entityRefOf, normalizeEntityRef, type CatalogEntity, type UserCatalog } from './user-catalog.js';

export const MAX_GROUP_DEPTH = 20;
/** Refs per GetEntitiesByRefs call. */
const BATCH = 100;
/** Far above any real organisation; stops a pathological catalog from growing a token without bound. */
const MAX_GROUPS = 1000;

/** The groups an entity names directly: a user's memberOf, a group's parent (spec and relations). */
function directGroups(entity: CatalogEntity): string[] {
  const namespace = entity.metadata.namespace ?? 'default';
  const defaults = { kind: 'group', namespace };
  const refs: Array<string | undefined> = [];
  const kind = entity.kind.toLowerCase();
  if (kind === 'user') {
    const memberOf = entity.spec?.memberOf;
    if (Array.isArray(memberOf)) refs.push(...memberOf.map((r) => normalizeEntityRef(r, defaults)));
    for (const r of entity.relations ?? [])
      if (r.type === 'memberOf') refs.push(normalizeEntityRef(r.targetRef, defaults));
  } else if (kind === 'group') {
    refs.push(normalizeEntityRef(entity.spec?.parent, defaults));
    for (const r of entity.relations ?? [])
      if (r.type === 'childOf') refs.push(normalizeEntityRef(r.targetRef, defaults));
  }
  return refs.filter((r): r is string => r !== undefined && r.startsWith('group:'));
}

/**
 * A user's ownership refs (the token's `ent`): the user and every group it belongs to, directly or
 * through parent groups. Groups are read from the catalog in rounds, one round per level, at most
 * {@link MAX_GROUP_DEPTH} levels; a group seen once is never read again, so cycles end.
 * Groups the user names that the catalog does not have are kept (Backstage does the same).
 */
export async function resolveOwnership(catalog: UserCatalog, user: CatalogEntity): Promise<string[]> {
  const userRef = entityRefOf(user);
  const seen = new Set<string>();
  let frontier = [...new Set(directGroups(user))];
  for (let depth = 0; frontier.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
    frontier = frontier.filter((ref) => !seen.has(ref)).slice(0, MAX_GROUPS - seen.size);
    frontier.forEach((ref) => seen.add(ref));
    if (frontier.length === 0 || depth + 1 >= MAX_GROUP_DEPTH) break;
    const next = new Set<string>();
    for (let i = 0; i < frontier.length; i += BATCH) {
      const groups = await catalog.getByRefs(frontier.slice(i, i + BATCH));
      for (const group of groups) {
        if (!group) continue;
        for (const parent of directGroups(group)) if (!seen.has(parent)) next.add(parent);
      }
    }
    frontier = [...next];
  }
  return [userRef, ...[...seen].sort()];
}
