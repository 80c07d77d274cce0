import { catalogV1 } from '@portal/proto';
import type { GrpcClients } from '@portal/platform';

/** The parts of an entity sign-in reads. */
export interface CatalogEntity {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  relations?: Array<{ type: string; targetRef: string }>;
}

/** What sign-in needs from the catalog: users by a filter, entities by ref. */
export interface UserCatalog {
  /** Entities matching a FilterPredicate (`{kind: 'user', 'spec.profile.email': …}`), at most `limit`. */
  query(filter: Record<string, unknown>, limit: number): Promise<CatalogEntity[]>;
  /** Entities by full ref, in request order; undefined where there is none. */
  getByRefs(refs: string[]): Promise<Array<CatalogEntity | undefined>>;
}

const FIELDS = ['kind', 'metadata', 'spec.memberOf', 'spec.parent', 'spec.profile', 'relations'];

function parse(item: catalogV1.EntityItem): CatalogEntity | undefined {
  if (!item.json || item.json.length === 0) return undefined;
  return JSON.parse(Buffer.from(item.json).toString('utf8')) as CatalogEntity;
}

/**
 * The catalog's gRPC API (portal.catalog.v1.CatalogService), called as the gateway with a service
 * token: sign-in reads users and groups whatever the signing-in user may see.
 */
export class GrpcUserCatalog implements UserCatalog {
  constructor(
    private readonly clients: GrpcClients,
    private readonly settings: { deadlineMs?: number; attempts?: number } = {},
  ) {}

  async query(filter: Record<string, unknown>, limit: number): Promise<CatalogEntity[]> {
    const res = await this.clients.unary(
      'catalog',
      catalogV1.CatalogServiceClient,
      (c) => c.queryEntities,
      catalogV1.QueryEntitiesRequest.fromPartial({
        filterJson: JSON.stringify(filter),
        limit,
        fields: FIELDS,
        skipTotalItems: true,
      }),
      this.settings,
    );
    return res.items.map(parse).filter((e): e is CatalogEntity => e !== undefined);
  }

  async getByRefs(refs: string[]): Promise<Array<CatalogEntity | undefined>> {
    if (refs.length === 0) return [];
    const res = await this.clients.unary(
      'catalog',
      catalogV1.CatalogServiceClient,
      (c) => c.getEntitiesByRefs,
      catalogV1.GetEntitiesByRefsRequest.fromPartial({ entityRefs: refs, fields: FIELDS }),
      this.settings,
    );
    return res.items.map(parse);
  }
}

/** `[kind:][namespace/]name` → `kind:namespace/name`, lowercased; undefined when malformed. */
export function normalizeEntityRef(
  ref: unknown,
  defaults: { kind: string; namespace: string },
): string | undefined {
  if (typeof ref !== 'string' || ref === '' || ref.length > 512) return undefined;
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) return undefined;
  const [, kind = defaults.kind, namespace = defaults.namespace, name] = match;
  const full = `${kind}:${namespace}/${name}`.toLowerCase();
  return /^[a-z0-9_.-]+:[a-z0-9_.-]+\/[a-z0-9_.-]+$/.test(full) ? full : undefined;
}

export function entityRefOf(entity: CatalogEntity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
}
