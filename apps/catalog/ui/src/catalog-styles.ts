// The catalog's own styles, rendered with its page: a remote's CSS files are not loaded by the host.
export const catalogStyles = `
.catalog-title-row { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.catalog-title-row .pt-button { text-decoration: none; }
.catalog-filters { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0.5rem 0 1rem; align-items: flex-end; }
.catalog-count { margin: 0.25rem 0 0.5rem; font-weight: 600; }
.catalog-paging { display: flex; gap: 0.5rem; justify-content: flex-end; align-items: flex-end; margin-top: 0.75rem; }
.catalog-paging .pt-filter { min-width: 0; }
.catalog-description { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; max-width: 32rem; }
.catalog-back { display: inline-block; margin-bottom: 0.5rem; }
.catalog-entity-head h1 { margin-bottom: 0; }
.catalog-entity-head p { margin-top: 0.2rem; }
.catalog-tabs { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--pt-border); margin-bottom: 1rem; overflow-x: auto; }
.catalog-tabs a { padding: 0.5rem 0.9rem; text-decoration: none; color: var(--pt-text); border-bottom: 3px solid transparent; white-space: nowrap; }
.catalog-tabs a.active { border-bottom-color: var(--pt-accent); font-weight: 600; }
.catalog-overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; align-items: start; }
.catalog-overview > .pt-card { margin-bottom: 0; }
.catalog-card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.catalog-source-links { display: flex; gap: 0.75rem; }
.catalog-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0.75rem 1rem; margin: 1rem 0 0; }
.catalog-field dt { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--pt-muted); font-weight: 600; }
.catalog-field dd { margin: 0.15rem 0 0; overflow-wrap: anywhere; }
.catalog-subtitle { font-size: 1rem; margin: 1rem 0 0.25rem; }
.catalog-warning { background: var(--pt-warning-bg); border: 1px solid var(--pt-border); border-radius: var(--pt-radius); padding: 0.75rem 1rem; margin-bottom: 1rem; }
.catalog-warning h2 { font-size: 1rem; }
.catalog-register-form { display: flex; gap: 0.75rem; align-items: flex-end; flex-wrap: wrap; }
.catalog-register-target { flex: 1; min-width: 16rem; }
.catalog-actions { display: flex; gap: 0.5rem; margin-top: 1rem; }
.catalog-operations { margin-bottom: 1rem; }
.catalog-danger { background: var(--pt-danger); border-color: var(--pt-danger); color: var(--pt-surface); }
@media (max-width: 800px) { .catalog-overview { grid-template-columns: 1fr; } }
`;
