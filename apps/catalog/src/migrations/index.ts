import { InitialSchema1763773200000 } from './1763773200000-initial-schema.js';
import { FinalEntities1763859600000 } from './1763859600000-final-entities.js';
import { Processing1763860000000 } from './1763860000000-processing.js';
import { TruncateVersionTrigger1763870000000 } from './1763870000000-truncate-version-trigger.js';
import { EntityEventsStream1763880000000 } from './1763880000000-entity-events-stream.js';
import { RuntimeKinds1763890000000 } from './1763890000000-runtime-kinds.js';
import { LocationEntityRef1763900000000 } from './1763900000000-location-entity-ref.js';
import { FacetCounts1763905000000 } from './1763905000000-facet-counts.js';

/** In order; TypeORM records which ran in the `migrations` table. */
export const migrations = [
  InitialSchema1763773200000,
  FinalEntities1763859600000,
  Processing1763860000000,
  TruncateVersionTrigger1763870000000,
  EntityEventsStream1763880000000,
  RuntimeKinds1763890000000,
  LocationEntityRef1763900000000,
  FacetCounts1763905000000,
];
