// @portal/ui: what the shell and every remote UI module share (one instance, a Module Federation
// singleton): the API client, the user's identity, the plugins' extensions, components and theme.
export * from './api/auth-session.js';
export * from './api/portal-api.js';
export * from './api/response-error.js';
export * from './api/use-async.js';
export * from './components/EntityRefLink.js';
export * from './components/ErrorBoundary.js';
export * from './components/ErrorPanel.js';
export * from './components/Filters.js';
export * from './components/Loading.js';
export * from './components/MarkdownView.js';
export * from './components/RelationChips.js';
export * from './components/Table.js';
export * from './extensions/entity-ref.js';
export * from './extensions/extensions-context.js';
export * from './identity/portal-context.js';
export * from './theme/theme.js';
