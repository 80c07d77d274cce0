// POST /analyze-location: what registering a repository or folder would take.
import type { Entity } from '@portal/catalog-model';
import type { DataSource } from 'typeorm';
import { findLocation } from '../ingestion/operations/find-location.js';
import type { DatabaseLocationProvider } from '../ingestion/database-location-provider.js';
import { withConnection } from '../processing/util/sql.js';
import type { LocationDryRun } from './dry-run.js';
import type { LocationInput } from './location-input.js';
import type { LocationService } from './location-service.js';

export interface AnalyzeLocationResponse {
  existingEntityFiles: Array<{
    location: { type: string; target: string };
    isRegistered: boolean;
    entity: Entity;
  }>;
  generateEntities: Array<{
    entity: Partial<Entity> & { metadata: { name: string } };
    fields: Array<{ field: string; state: string; value: string | null; description: string }>;
  }>;
}

const DESCRIPTOR = /\.ya?ml$/i;

/** The descriptor file to look for: the target itself when it names a YAML file, else `<target>/<catalogFilename>`. */
export function descriptorTarget(target: string, catalogFilename = 'catalog-info.yaml'): string {
  const url = new URL(target);
  if (DESCRIPTOR.test(url.pathname)) return url.href;
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return new URL(catalogFilename, url).href;
}

/** A valid entity name from the last path segment of the target (a repository's name). */
export function suggestedName(target: string): string {
  const url = new URL(target);
  const segments = url.pathname.split('/').filter(Boolean);
  let last = segments.at(-1) ?? url.hostname;
  try {
    last = decodeURIComponent(last);
  } catch {
    // Not valid percent-encoding: the raw segment.
  }
  last = last.replace(/\.git$/i, '');
  const name = last
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
  return name || 'component';
}

/**
 * Backstage's location analysis, kept honest and simple: when the descriptor file at the location
 * can be read, its entities are returned as `existingEntityFiles` (with whether that file is already
 * registered); when it does not exist, one Component to generate is suggested, named after the
 * repository, with `spec.type: other` and `spec.lifecycle: unknown` as Backstage's analyzer does.
 * Reading is subject to the same checks as registering (allowed types and hosts).
 */
export class LocationAnalyzer {
  constructor(
    private readonly options: {
      dataSource: DataSource;
      provider: DatabaseLocationProvider;
      locations: LocationService;
      dryRun: LocationDryRun;
    },
  ) {}

  async analyze(request: {
    location: LocationInput;
    catalogFilename?: string;
  }): Promise<AnalyzeLocationResponse> {
    const { location } = request;
    this.options.locations.checkType(location);
    await this.options.provider.checkReadable(location);
    const target = descriptorTarget(location.target, request.catalogFilename);
    const spec = { type: location.type, target };
    await this.options.provider.checkReadable(spec);

    // Only what the file itself holds (nested Locations are not followed); a missing file is none.
    const entities = await this.options.dryRun.readTarget({ ...spec, presence: 'optional' });
    if (entities.length) {
      const registered = await withConnection(this.options.dataSource, (sql) => findLocation(sql, spec));
      return {
        existingEntityFiles: entities.map((entity) => ({
          location: spec,
          isRegistered: !!registered,
          entity,
        })),
        generateEntities: [],
      };
    }
    return {
      existingEntityFiles: [],
      generateEntities: [
        {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: suggestedName(location.target) },
            spec: { type: 'other', lifecycle: 'unknown' },
          },
          fields: [],
        },
      ],
    };
  }
}
