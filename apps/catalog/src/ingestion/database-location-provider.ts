// Locations registered through the API, kept in the `locations` table.
import { isAbsolute, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  type FileReader,
  type UrlReader,
} from '@portal/platform';
import { scheduleRefresh } from '../processing/operations/schedule-refresh.js';
import type { LocationSpec } from '../processing/location-ref.js';
import { inTransaction, withConnection } from '../processing/util/sql.js';
import type { EntityProvider, EntityProviderConnection } from './entity-provider.js';
import { locationToDeferredEntity } from './location-entity.js';
import { deleteLocation } from './operations/delete-location.js';
import { findLocation } from './operations/find-location.js';
import { insertLocation, type LocationRow } from './operations/insert-location.js';
import { listLocations } from './operations/list-locations.js';
import { updateLocation } from './operations/update-location.js';

/** A registered location as the REST API shows it. */
export interface RegisteredLocation {
  id: string;
  type: string;
  target: string;
  /**
   * The ref of its Location entity, fixed at registration (`location_entity_ref`):
   * `location:default/generated-<sha1("type:target")>` of the type and target it was registered with.
   */
  entityRef: string;
}

export interface DatabaseLocationProviderOptions {
  dataSource: DataSource;
  urlReader: UrlReader;
  fileReader: FileReader;
}

function toRegistered(row: LocationRow): RegisteredLocation {
  return { id: row.id, type: row.type, target: row.target, entityRef: row.entityRef };
}

/**
 * The locations table as an entity provider: a full mutation of all rows at connect, and a delta
 * for each location added or removed. The table write and the delta are two transactions (as in
 * Backstage); a replica that dies between them is put right by the next connect's full mutation.
 */
export class DatabaseLocationProvider implements EntityProvider {
  readonly name = 'DatabaseLocationProvider';
  private connection?: EntityProviderConnection;

  constructor(private readonly options: DatabaseLocationProviderOptions) {}

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const rows = await withConnection(this.options.dataSource, listLocations);
    await connection.applyMutation({ type: 'full', entities: rows.map(locationToDeferredEntity) });
  }

  async listLocations(): Promise<RegisteredLocation[]> {
    return (await withConnection(this.options.dataSource, listLocations)).map(toRegistered);
  }

  async getLocation(id: string): Promise<RegisteredLocation> {
    const row = await withConnection(this.options.dataSource, (sql) => findLocation(sql, { id }));
    if (!row) throw new NotFoundError(`Found no location with ID ${id}`);
    return toRegistered(row);
  }

  /**
   * Registers a location. Its target must be readable at all: a url on an allowed host, a file
   * under `catalog.fileRoots`. A location already registered is a ConflictError, unless
   * `onConflict: 'refresh'`, which schedules it for processing now and returns it with `exists`.
   */
  async addLocation(
    spec: LocationSpec,
    options: { onConflict?: 'reject' | 'refresh' } = {},
  ): Promise<{ location: RegisteredLocation; exists: boolean }> {
    const connection = this.requireConnection();
    await this.checkReadable(spec);
    if (spec.type === 'file') spec = { type: 'file', target: resolve(spec.target) };
    const { dataSource } = this.options;
    const inserted = await withConnection(dataSource, (sql) => insertLocation(sql, spec));
    if (!inserted) {
      const existing = await withConnection(dataSource, (sql) => findLocation(sql, spec));
      if (!existing || options.onConflict !== 'refresh') {
        throw new ConflictError(`Location ${spec.type}:${spec.target} already exists`);
      }
      const location = toRegistered(existing);
      await connection.applyMutation({
        type: 'delta',
        added: [locationToDeferredEntity(existing)],
        removed: [],
      });
      await withConnection(dataSource, (sql) => scheduleRefresh(sql, location.entityRef)).catch(
        () => undefined,
      );
      return { location, exists: true };
    }
    await connection.applyMutation({
      type: 'delta',
      added: [locationToDeferredEntity(inserted)],
      removed: [],
    });
    return { location: toRegistered(inserted), exists: false };
  }

  /** Unregisters a location; everything it brought in that nothing else emits is deleted. */
  async removeLocation(id: string): Promise<RegisteredLocation> {
    const connection = this.requireConnection();
    const row = await withConnection(this.options.dataSource, (sql) => deleteLocation(sql, id));
    if (!row) throw new NotFoundError(`Found no location with ID ${id}`);
    const location = toRegistered(row);
    await connection.applyMutation({
      type: 'delta',
      added: [],
      removed: [{ entityRef: location.entityRef }],
    });
    return location;
  }

  /**
   * Changes a location's type and target (PUT /locations/{id}). Its Location entity keeps its ref
   * (stored at registration) and uid and is emitted again with the new spec and key, so it reads the
   * new target: what both targets hold stays (same uids), what only the old one held is orphaned
   * like any entity its parent stops emitting (`catalog.orphanStrategy`).
   */
  async updateLocation(id: string, spec: LocationSpec): Promise<RegisteredLocation> {
    const connection = this.requireConnection();
    await this.checkReadable(spec);
    if (spec.type === 'file') spec = { type: 'file', target: resolve(spec.target) };
    const changed = await inTransaction(this.options.dataSource, (sql) => updateLocation(sql, id, spec));
    if (!changed) throw new NotFoundError(`Found no location with ID ${id}`);
    const before = toRegistered(changed.before);
    const after = toRegistered(changed.after);
    await connection.applyMutation({
      type: 'delta',
      added: [locationToDeferredEntity(changed.after)],
      removed: before.entityRef === after.entityRef ? [] : [{ entityRef: before.entityRef }],
    });
    return after;
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) throw new ServiceUnavailableError('The location store is not connected yet');
    return this.connection;
  }

  /**
   * Throws unless the target may be read at all: InputError for a malformed spec or an unsupported
   * type, NotAllowedError for a url host outside `backend.reading.allow` or a file outside
   * `catalog.fileRoots`.
   */
  async checkReadable(spec: LocationSpec): Promise<void> {
    if (typeof spec?.type !== 'string' || typeof spec.target !== 'string' || !spec.target) {
      throw new InputError('A location needs a type and a target');
    }
    if (spec.type === 'url') this.options.urlReader.check(spec.target);
    else if (spec.type === 'file') {
      if (!isAbsolute(spec.target))
        throw new InputError(`File location '${spec.target}' must be an absolute path`);
      await this.options.fileReader.check(spec.target);
    } else throw new InputError(`Location type '${spec.type}' is not supported; use url or file`);
  }
}
