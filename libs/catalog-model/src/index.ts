// @portal/catalog-model: the entity model shared by the catalog, the other services and the browser.
export * from './entity.js';
export * from './entity-ref.js';
export * from './relations.js';
export * from './descriptor.js';
export * from './kinds/kind-definition.js';
export * from './kinds/kind-definition-check.js';
export * from './kinds/kind-registry.js';
export * from './kinds/builtin-kinds.js';
export * from './kinds/schema-guard.js';
export * from './kinds/register-kind-definitions.js';
export * from './validation/problem.js';
export * from './validation/field-rules.js';
export * from './validation/link-url.js';
export * from './validation/envelope-schema.js';
export * from './validation/entity-tree.js';
export { checkFieldFormats } from './validation/field-format.js';
export { compileSchemaValidator, type SchemaValidator } from './validation/schema-validator.js';
export * from './validation/validate-entity.js';
