export * from './signing-key.js';
export * from './principal.js';
export * from './public-key-store.js';
export * from './service-token-issuer.js';
export * from './token-verifier.js';
export * from './auth.guard.js';
