// @portal/bench: the catalog benchmark's entity generator, for the CLI and for push ingestion.
export * from './generate-entities.js';
export * from './catalog-files.js';
export { Random, Zipf } from './random.js';
