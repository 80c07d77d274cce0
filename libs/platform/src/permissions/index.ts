export * from './permissions-service.js';
export * from './rules.js';
export * from './types.js';
