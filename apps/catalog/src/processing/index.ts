// The catalog's ingestion and processing engine (see README.md).
export { CatalogEngine, type CatalogEngineOptions } from './catalog-engine.js';
export {
  catalogFileReader,
  readEngineSettings,
  type EngineSettings,
  type OrphanStrategy,
} from './engine-settings.js';
export { EngineStats } from './engine-stats.js';
export { CatalogRules, DEFAULT_CATALOG_RULES, type CatalogRule } from './catalog-rules.js';
export type { CatalogProcessor, DeferredEntity, ProcessingResult, ProcessorEmit } from './types.js';
export type {
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
  MutationSummary,
} from '../ingestion/entity-provider.js';
export type { RegisteredLocation } from '../ingestion/database-location-provider.js';
export { PushProvider, PushProviderRegistry } from '../ingestion/push-provider-registry.js';
export { locationEntityRef, locationToEntity } from '../ingestion/location-entity.js';
