import { InputError } from '@portal/platform';
import type { Permission } from '../policy/types.js';

export interface AuthorizeQuery {
  id: string;
  permission: Permission;
  resourceRef?: string | string[];
}

const MAX_ITEMS = 1000;
const ACTIONS = ['create', 'read', 'update', 'delete'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one Backstage permission object; throws an InputError naming the field. */
export function parsePermission(value: unknown, path: string): Permission {
  if (!isObject(value)) throw new InputError(`${path} must be an object`);
  const { type, name, attributes, resourceType } = value;
  if (type !== 'basic' && type !== 'resource')
    throw new InputError(`${path}.type must be 'basic' or 'resource'`);
  if (typeof name !== 'string' || !name || name.length > 200)
    throw new InputError(`${path}.name must be a non-empty string`);
  const attrs = attributes ?? {};
  if (!isObject(attrs)) throw new InputError(`${path}.attributes must be an object`);
  if (attrs.action !== undefined && !ACTIONS.includes(attrs.action as string)) {
    throw new InputError(`${path}.attributes.action must be one of ${ACTIONS.join(', ')}`);
  }
  if (type === 'resource' && (typeof resourceType !== 'string' || !resourceType)) {
    throw new InputError(`${path}.resourceType is required for a resource permission`);
  }
  return {
    type,
    name,
    attributes:
      attrs.action !== undefined ? { action: attrs.action as Permission['attributes']['action'] } : {},
    ...(type === 'resource' ? { resourceType: resourceType as string } : {}),
  };
}

/** Backstage's authorize request body: `{items: [{id, permission, resourceRef?}]}`. */
export function parseAuthorizeRequest(body: unknown): AuthorizeQuery[] {
  if (!isObject(body) || !Array.isArray(body.items))
    throw new InputError('The request must be {items: [...]}');
  if (body.items.length > MAX_ITEMS) throw new InputError(`At most ${MAX_ITEMS} items per request`);
  const ids = new Set<string>();
  return body.items.map((item, i) => {
    const path = `items[${i}]`;
    if (!isObject(item)) throw new InputError(`${path} must be an object`);
    if (typeof item.id !== 'string' || !item.id)
      throw new InputError(`${path}.id must be a non-empty string`);
    if (ids.has(item.id)) throw new InputError(`${path}.id '${item.id}' is not unique`);
    ids.add(item.id);
    const permission = parsePermission(item.permission, `${path}.permission`);
    const ref = item.resourceRef;
    if (ref !== undefined && ref !== null) {
      const ok =
        typeof ref === 'string'
          ? ref.length > 0
          : Array.isArray(ref) && ref.every((r) => typeof r === 'string' && r);
      if (!ok) throw new InputError(`${path}.resourceRef must be a string or an array of strings`);
      // A basic permission has no resource: Backstage ignores a resourceRef sent with one.
      if (permission.type !== 'resource') return { id: item.id, permission };
      return { id: item.id, permission, resourceRef: ref as string | string[] };
    }
    return { id: item.id, permission };
  });
}
