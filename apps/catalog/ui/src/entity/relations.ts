import type { CatalogEntity } from '../api/catalog-api.js';

/** Backstage's relation types, as a reader names them. */
export const RELATION_LABELS: Record<string, string> = {
  ownedBy: 'Owned by',
  ownerOf: 'Owns',
  partOf: 'Part of',
  hasPart: 'Has part',
  providesApi: 'Provides APIs',
  apiProvidedBy: 'API provided by',
  consumesApi: 'Consumes APIs',
  apiConsumedBy: 'API consumed by',
  dependsOn: 'Depends on',
  dependencyOf: 'Dependency of',
  memberOf: 'Member of',
  hasMember: 'Members',
  parentOf: 'Parent of',
  childOf: 'Child of',
};

/** The entity's relations grouped by type, in a reading order: known types first. */
export function groupedRelations(
  entity: CatalogEntity,
): Array<{ type: string; label: string; refs: string[] }> {
  const byType = new Map<string, string[]>();
  for (const r of entity.relations ?? []) byType.set(r.type, [...(byType.get(r.type) ?? []), r.targetRef]);
  const order = Object.keys(RELATION_LABELS);
  return [...byType.entries()]
    .sort(([a], [b]) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
    })
    .map(([type, refs]) => ({ type, label: RELATION_LABELS[type] ?? type, refs: [...new Set(refs)].sort() }));
}

/** Annotation links (`url:https://…` or plain URLs), http(s) only. */
export function annotationUrl(entity: CatalogEntity, annotation: string): string | undefined {
  const raw = entity.metadata.annotations?.[annotation];
  if (!raw) return undefined;
  const url = raw.replace(/^url:/, '');
  return safeHttpUrl(url);
}

export function safeHttpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The kinds Backstage defines; any other kind gets the generic spec view. */
export const BUILT_IN_KINDS = new Set([
  'component',
  'api',
  'system',
  'domain',
  'resource',
  'group',
  'user',
  'location',
  'template',
]);
