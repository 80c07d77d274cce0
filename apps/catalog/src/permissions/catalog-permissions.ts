import type { Entity } from '@portal/catalog-model';
import {
  AuthorizeResult,
  InputError,
  NotAllowedError,
  NotFoundError,
  parsePermissionCriteria,
  PortalError,
  type BasicPermission,
  type PermissionsService,
  type PolicyDecision,
  type Principal,
  type ResourcePermission,
} from '@portal/platform';
import type { EntityQuery } from '../entities/query/entity-query.js';
import type { FilterPredicate } from '../entities/query/filter-predicate.js';
import {
  catalogEntityReadPermission,
  catalogLocationReadPermission,
  catalogPermissions,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from './permissions.js';
import { catalogEntityRuleset } from './rules.js';

/** A predicate that matches no entity (`$any: []` is FALSE): what a DENY reads through. */
export const MATCH_NOTHING: FilterPredicate = Object.freeze({ $any: [] }) as FilterPredicate;

/**
 * What a caller may read: `filter` is the one extra predicate for every database read (undefined:
 * everything), `allows` the same decision in memory for entities already loaded (change stream
 * events, ancestry and history items).
 */
export interface ReadAccess {
  filter: FilterPredicate | undefined;
  allows(entity: Entity | null): boolean;
}

const EVERYTHING: ReadAccess = { filter: undefined, allows: () => true };
const NOTHING: ReadAccess = { filter: MATCH_NOTHING, allows: () => false };

export const APPLY_CONDITIONS_MAX_ITEMS = 100;
export const APPLY_CONDITIONS_MAX_REFS = 1000;

type EntityReader = Pick<EntityQuery, 'byRefs' | 'byUid'>;

/**
 * The catalog's permission decisions, for the controllers: read filters, write checks (403) and the
 * apply-conditions endpoint. Decisions come from {@link PermissionsService} (fail closed: 503 when
 * the permission service cannot answer); conditional decisions become a FilterPredicate through the
 * catalog's rules. See README.md.
 */
export class CatalogPermissions {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly entities: EntityReader,
  ) {}

  get enabled(): boolean {
    return this.permissions.enabled;
  }

  /** The caller's `catalog.entity.read` as one filter (and its in-memory twin). */
  async readAccess(principal: Principal | undefined): Promise<ReadAccess> {
    if (!this.permissions.enabled) return EVERYTHING;
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      principal,
    );
    return this.accessFrom(decision!);
  }

  /** Shorthand: only the database filter of {@link readAccess}. */
  async readFilter(principal: Principal | undefined): Promise<FilterPredicate | undefined> {
    return (await this.readAccess(principal)).filter;
  }

  private accessFrom(decision: PolicyDecision): ReadAccess {
    if (decision.result === AuthorizeResult.ALLOW) return EVERYTHING;
    if (decision.result !== AuthorizeResult.CONDITIONAL) return NOTHING;
    const conditions = decision.conditions;
    let filter: FilterPredicate;
    try {
      if (decision.resourceType !== RESOURCE_TYPE_CATALOG_ENTITY) {
        throw new InputError(`resource type '${decision.resourceType}'`);
      }
      filter = catalogEntityRuleset.toQuery(conditions);
    } catch (err) {
      // The policy names a rule the catalog does not have, or bad params: nobody can read through it.
      throw new PortalError(
        'Error',
        `The permission policy returned conditions the catalog cannot apply: ${(err as Error).message}`,
      );
    }
    return {
      filter,
      allows: (entity) => entity !== null && catalogEntityRuleset.apply(conditions, entity),
    };
  }

  /** NotFoundError unless the entity `ref` (lowercase `kind:namespace/name`) exists and is readable. */
  async assertVisible(access: ReadAccess, ref: string): Promise<void> {
    if (!access.filter) return;
    const { items } = await this.entities.byRefs([ref], ['kind'], undefined, access.filter);
    if (!items[0]) throw new NotFoundError(`No entity named '${ref}' found`);
  }

  /** NotAllowedError (403) unless the caller may do this basic permission. */
  async authorize(principal: Principal | undefined, permission: BasicPermission): Promise<void> {
    if (!this.permissions.enabled) return;
    const [decision] = await this.permissions.authorize([{ permission }], principal);
    if (decision!.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  /** `catalog.location.read`: lists become empty and single locations 404 when it is denied. */
  async canReadLocations(principal: Principal | undefined): Promise<boolean> {
    if (!this.permissions.enabled) return true;
    const [decision] = await this.permissions.authorize(
      [{ permission: catalogLocationReadPermission }],
      principal,
    );
    return decision!.result === AuthorizeResult.ALLOW;
  }

  /**
   * NotAllowedError unless the caller may do a resource permission on an entity. A conditional
   * decision is applied here to the entity as stored (`find` loads it with the conditions as extra
   * filter), which is what the permission service would get from our apply-conditions route; an
   * entity that is not found under the conditions is not allowed, as in Backstage.
   */
  private async authorizeOnEntity(
    principal: Principal | undefined,
    permission: ResourcePermission,
    find: (filter: FilterPredicate) => Promise<unknown>,
  ): Promise<void> {
    if (!this.permissions.enabled) return;
    const [decision] = await this.permissions.authorizeConditional([{ permission }], principal);
    if (decision!.result === AuthorizeResult.ALLOW) return;
    if (decision!.result === AuthorizeResult.CONDITIONAL) {
      const access = this.accessFrom(decision!);
      if (await find(access.filter!)) return;
    }
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }

  /** For DELETE by uid (`catalog.entity.delete`). */
  authorizeByUid(
    principal: Principal | undefined,
    permission: ResourcePermission,
    uid: string,
  ): Promise<void> {
    return this.authorizeOnEntity(principal, permission, (filter) => this.entities.byUid(uid, filter));
  }

  /** For refresh (`catalog.entity.refresh`) of an entity ref. */
  authorizeByRef(
    principal: Principal | undefined,
    permission: ResourcePermission,
    ref: string,
  ): Promise<void> {
    return this.authorizeOnEntity(principal, permission, async (filter) => {
      const { items } = await this.entities.byRefs([ref], ['kind'], undefined, filter);
      return items[0];
    });
  }

  /** `GET /.well-known/backstage/permissions/metadata`. */
  metadata() {
    return { permissions: catalogPermissions, rules: catalogEntityRuleset.metadata() };
  }

  /**
   * `POST /.well-known/backstage/permissions/apply-conditions` (Backstage's shape): for each item,
   * the conditions applied to the entity (or entities) named by `resourceRef`. A missing entity is a
   * DENY; an unknown resource type, rule or bad params an InputError (400).
   */
  async applyConditions(body: unknown): Promise<{ items: Array<{ id: string; result: string | string[] }> }> {
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { items?: unknown }).items)) {
      throw new InputError('Request body must be {items: [{id, resourceRef, resourceType, conditions}]}');
    }
    const raw = (body as { items: unknown[] }).items;
    if (raw.length > APPLY_CONDITIONS_MAX_ITEMS) {
      throw new InputError(`Too many items, at most ${APPLY_CONDITIONS_MAX_ITEMS}`);
    }
    const items = raw.map((item, i) => {
      const at = `items[${i}]`;
      if (typeof item !== 'object' || item === null)
        throw new InputError(`Invalid ${at}: expected an object`);
      const { id, resourceRef, resourceType, conditions } = item as Record<string, unknown>;
      if (typeof id !== 'string' || !id) throw new InputError(`Invalid ${at}.id: expected a string`);
      if (resourceType !== RESOURCE_TYPE_CATALOG_ENTITY) {
        throw new InputError(`Unexpected resource type '${String(resourceType)}' at ${at}.resourceType`);
      }
      const refs = typeof resourceRef === 'string' ? [resourceRef] : resourceRef;
      if (!Array.isArray(refs) || !refs.length || refs.some((r) => typeof r !== 'string' || !r)) {
        throw new InputError(`Invalid ${at}.resourceRef: expected an entity ref or a non-empty list of them`);
      }
      const criteria = parsePermissionCriteria(conditions, `${at}.conditions`);
      catalogEntityRuleset.check(criteria);
      return { id, refs: refs as string[], many: Array.isArray(resourceRef), criteria };
    });
    const wanted = [...new Set(items.flatMap((item) => item.refs.map((r) => r.toLowerCase())))];
    if (wanted.length > APPLY_CONDITIONS_MAX_REFS) {
      throw new InputError(`Too many resourceRefs, at most ${APPLY_CONDITIONS_MAX_REFS}`);
    }
    const { items: found } = await this.entities.byRefs(wanted);
    const byRef = new Map(wanted.map((ref, i) => [ref, found[i] as Entity | null]));
    return {
      items: items.map(({ id, refs, many, criteria }) => {
        const results = refs.map((ref) => {
          const entity = byRef.get(ref.toLowerCase());
          return entity && catalogEntityRuleset.apply(criteria, entity)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        });
        return { id, result: many ? results : results[0]! };
      }),
    };
  }
}
