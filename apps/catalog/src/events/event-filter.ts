import { InputError } from '@portal/platform';

/** Which entities a subscriber wants: each present field is a set of allowed lowercase values. */
export interface EventFilter {
  kind?: string[];
  namespace?: string[];
  name?: string[];
}

const FIELDS: Record<string, keyof EventFilter> = {
  kind: 'kind',
  namespace: 'namespace',
  'metadata.namespace': 'namespace',
  name: 'name',
  'metadata.name': 'name',
};

function values(raw: unknown, key: string, name: string): string[] {
  const list =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw)
        ? raw
        : raw !== null && typeof raw === 'object' && Object.keys(raw).join() === '$in'
          ? (raw as { $in: unknown }).$in
          : undefined;
  if (!Array.isArray(list) || !list.length || list.some((v) => typeof v !== 'string' || !v)) {
    throw new InputError(
      `Invalid ${name}: '${key}' must be a string, a list of strings or { "$in": [strings] }`,
    );
  }
  return [...new Set((list as string[]).map((v) => v.toLowerCase()))];
}

/**
 * The change stream's filter: an object of `kind`, `namespace` (or `metadata.namespace`) and `name`
 * (or `metadata.name`), each a string, a list of strings or `{ "$in": [...] }`; fields are ANDed,
 * values ORed, compared case-insensitively. Anything else is an InputError naming `name`.
 */
export function parseEventFilter(raw: unknown, name = 'filter'): EventFilter | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`Invalid ${name}: must be a JSON object of kind, namespace and name`);
  }
  const filter: EventFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = FIELDS[key];
    if (!field) {
      throw new InputError(
        `Invalid ${name}: '${key}' is not supported (only kind, namespace, name, with string or $in values)`,
      );
    }
    filter[field] = [...new Set([...(filter[field] ?? []), ...values(value, key, name)])];
  }
  return Object.keys(filter).length ? filter : undefined;
}

/** `filter_json` of WatchEntitiesRequest: empty means none. */
export function parseEventFilterJson(json: string, name = 'filter_json'): EventFilter | undefined {
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError(`Invalid ${name}: not JSON`);
  }
  return parseEventFilter(parsed, name);
}

/**
 * The filter as SQL over `entity_events.entity_ref` (`kind:namespace/name`, lowercase), with its
 * values appended to `params`; `'true'` for no filter.
 */
export function eventFilterSql(
  filter: EventFilter | undefined,
  params: unknown[],
  column = 'entity_ref',
): string {
  if (!filter) return 'true';
  const parts = {
    kind: `split_part(${column}, ':', 1)`,
    namespace: `split_part(substr(${column}, strpos(${column}, ':') + 1), '/', 1)`,
    name: `substr(${column}, strpos(${column}, '/') + 1)`,
  };
  const conditions: string[] = [];
  for (const field of ['kind', 'namespace', 'name'] as const) {
    const allowed = filter[field];
    if (!allowed) continue;
    params.push(allowed);
    conditions.push(`${parts[field]} = ANY($${params.length}::text[])`);
  }
  return conditions.length ? conditions.join(' AND ') : 'true';
}

/** Whether an entity ref (any case) passes the filter. */
export function matchesEventFilter(filter: EventFilter | undefined, entityRef: string): boolean {
  if (!filter) return true;
  const ref = entityRef.toLowerCase();
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  const parts = {
    kind: ref.slice(0, colon),
    namespace: ref.slice(colon + 1, slash),
    name: ref.slice(slash + 1),
  };
  return (['kind', 'namespace', 'name'] as const).every((f) => !filter[f] || filter[f].includes(parts[f]));
}
