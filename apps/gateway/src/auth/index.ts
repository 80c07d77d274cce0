export * from './auth-config.js';
export * from './auth.controller.js';
export * from './auth.module.js';
export * from './auth.service.js';
export * from './edge-auth.js';
export * from './user-key-store.js';
export * from './user-token-issuer.js';
