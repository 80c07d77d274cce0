// The logic behind the /locations endpoints; the controller only translates.
import type { Entity } from '@portal/catalog-model';
import { InputError, NotFoundError } from '@portal/platform';
import type { DataSource } from 'typeorm';
import type {
  DatabaseLocationProvider,
  RegisteredLocation,
} from '../ingestion/database-location-provider.js';
import { locationEntityRef } from '../ingestion/location-entity.js';
import { findLocation } from '../ingestion/operations/find-location.js';
import { parseLocationRef, type LocationSpec } from '../processing/location-ref.js';
import { withConnection } from '../processing/util/sql.js';
import type { LocationDryRun } from './dry-run.js';
import type { LocationInput } from './location-input.js';
import { pageLocations, type LocationQuery } from './location-query.js';
import { findOriginLocationRef } from './operations/find-origin-location-ref.js';

/** Backstage's default for locations registered through the API. */
export const DEFAULT_ALLOWED_LOCATION_TYPES = ['url'];

export interface LocationServiceOptions {
  dataSource: DataSource;
  provider: DatabaseLocationProvider;
  dryRun: LocationDryRun;
  /** Types `POST /locations` accepts (`catalog.allowedLocationTypes`, default `['url']`). */
  allowedTypes?: string[];
}

export interface CreateLocationResult {
  location: RegisteredLocation;
  entities: Entity[];
  exists?: boolean;
}

export class LocationService {
  readonly allowedTypes: string[];

  constructor(private readonly options: LocationServiceOptions) {
    this.allowedTypes = options.allowedTypes ?? DEFAULT_ALLOWED_LOCATION_TYPES;
  }

  /** Throws Backstage's InputError for a type that may not be registered through the API. */
  checkType(spec: LocationSpec): void {
    if (!this.allowedTypes.includes(spec.type)) {
      throw new InputError(
        `Registered locations must be of an allowed type ${JSON.stringify(this.allowedTypes)}`,
      );
    }
  }

  /**
   * `POST /locations`. A real registration stores the location (the engine processes it) and
   * returns `entities: []`; a dry run writes nothing and returns what processing would bring in,
   * with `exists` and the pseudo id `<type>:<target>`.
   */
  async createLocation(
    input: LocationInput,
    options: { dryRun: boolean; onConflict: 'reject' | 'refresh' },
  ): Promise<CreateLocationResult> {
    this.checkType(input);
    const { provider } = this.options;
    if (!options.dryRun) {
      const { location, exists } = await provider.addLocation(input, { onConflict: options.onConflict });
      return { location, entities: [], ...(exists ? { exists: true } : {}) };
    }
    await provider.checkReadable(input);
    const spec = { type: input.type, target: input.target };
    const [processed, existing] = await Promise.all([
      this.options.dryRun.run(input),
      withConnection(this.options.dataSource, (sql) => findLocation(sql, spec)),
    ]);
    return {
      location: {
        ...spec,
        id: `${spec.type}:${spec.target}`,
        // A registered location keeps the ref it was registered with.
        entityRef: existing?.entityRef ?? locationEntityRef(spec),
      },
      entities: processed.map((p) => p.entity),
      exists: existing !== undefined,
    };
  }

  listLocations(): Promise<RegisteredLocation[]> {
    return this.options.provider.listLocations();
  }

  async queryLocations(request: LocationQuery) {
    return pageLocations(await this.options.provider.listLocations(), request);
  }

  getLocation(id: string): Promise<RegisteredLocation> {
    return this.options.provider.getLocation(id);
  }

  /**
   * `PUT /locations/{id}`: the same type rules as a registration. The location keeps its id and its
   * Location entity's ref (and uid); see README.md, "Updating a location".
   */
  updateLocation(id: string, input: LocationInput): Promise<RegisteredLocation> {
    this.checkType(input);
    return this.options.provider.updateLocation(id, { type: input.type, target: input.target });
  }

  async deleteLocation(id: string): Promise<void> {
    await this.options.provider.removeLocation(id);
  }

  /** The registered location an entity originates from (its `managed-by-origin-location`). */
  async getLocationByEntity(entityRef: string): Promise<RegisteredLocation> {
    const { dataSource } = this.options;
    const origin = await withConnection(dataSource, (sql) => findOriginLocationRef(sql, entityRef));
    if (!origin.found) throw new NotFoundError(`found no entity for ref ${entityRef}`);
    if (!origin.originRef) throw new NotFoundError(`found no origin annotation for ref ${entityRef}`);
    let spec: LocationSpec;
    try {
      spec = parseLocationRef(origin.originRef);
    } catch {
      throw new NotFoundError(`found no valid origin annotation for ref ${entityRef}`);
    }
    const row = await withConnection(dataSource, (sql) => findLocation(sql, spec));
    if (!row) throw new NotFoundError(`Found no location with type ${spec.type} and target ${spec.target}`);
    return { id: row.id, type: row.type, target: row.target, entityRef: row.entityRef };
  }
}
