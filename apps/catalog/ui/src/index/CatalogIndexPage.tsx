import { ErrorPanel, Loading, SelectFilter, Table, TextFilter, useAsync, usePortalApi } from '@portal/ui';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { entityFacets, queryEntities } from '../api/catalog-api.js';
import { catalogColumns, SORT_FIELDS } from './columns.js';
import { PAGE_SIZES, useIndexState, type FilterKey } from './url-state.js';

/** The filters and the catalog field each one matches. */
const FILTERS: Array<{ key: FilterKey; label: string; field: string }> = [
  { key: 'type', label: 'Type', field: 'spec.type' },
  { key: 'owner', label: 'Owner', field: 'spec.owner' },
  { key: 'lifecycle', label: 'Lifecycle', field: 'spec.lifecycle' },
  { key: 'tag', label: 'Tag', field: 'metadata.tags' },
  { key: 'namespace', label: 'Namespace', field: 'metadata.namespace' },
];

/** The catalog index: kind picker, facet filters, text filter, server-side sorting and cursor paging. */
export function CatalogIndexPage() {
  const api = usePortalApi();
  const [state, update] = useIndexState();
  const filter: Record<string, string | undefined> = { kind: state.kind };
  for (const f of FILTERS) filter[f.field] = state[f.key];

  const kinds = useAsync(() => entityFacets(api, ['kind']), [api]);
  const facets = useAsync(
    () =>
      entityFacets(
        api,
        FILTERS.map((f) => f.field),
        { kind: state.kind },
      ),
    [api, state.kind],
  );
  const page = useAsync(
    () =>
      queryEntities(api, {
        filter,
        text: state.text,
        orderField: { field: SORT_FIELDS[state.sort.key] ?? 'metadata.name', order: state.sort.direction },
        cursor: state.cursor,
        limit: state.limit,
      }),
    // The filter object is rebuilt on each render; its contents are what matter.
    [
      api,
      JSON.stringify(filter),
      state.text,
      state.sort.key,
      state.sort.direction,
      state.cursor,
      state.limit,
    ],
  );
  const onText = useCallback((text: string) => update({ text }), [update]);
  const retryAll = () => {
    page.retry();
    if (kinds.error) kinds.retry();
    if (facets.error) facets.retry();
  };

  const kindOptions = (kinds.value?.kind ?? []).map((k) => ({
    value: k.value.toLowerCase(),
    label: k.value,
    count: k.count,
  }));
  const kindLabel = kindOptions.find((k) => k.value === state.kind)?.label ?? state.kind;

  return (
    <div className="catalog-index">
      <div className="catalog-title-row">
        <h1>Catalog</h1>
        <Link className="pt-button" to="register">
          Register existing component
        </Link>
      </div>
      {kinds.error && !page.error && (
        <ErrorPanel title="Kinds could not be loaded" error={kinds.error} onRetry={kinds.retry} />
      )}
      <div className="catalog-filters" role="group" aria-label="Filters">
        <SelectFilter
          label="Kind"
          value={state.kind}
          options={kindOptions}
          onChange={(kind) => update({ kind: kind ?? 'component' })}
          allLabel="Choose a kind"
        />
        {FILTERS.map((f) => (
          <SelectFilter
            key={f.key}
            label={f.label}
            value={state[f.key]}
            options={facets.value?.[f.field] ?? []}
            onChange={(value) => update({ [f.key]: value })}
          />
        ))}
        <TextFilter
          label="Search"
          value={state.text}
          onChange={onText}
          placeholder="Name, title or description"
        />
      </div>
      {page.error ? (
        <ErrorPanel title="The catalog could not be loaded" error={page.error} onRetry={retryAll} />
      ) : !page.value ? (
        <Loading label="Loading entities…" />
      ) : (
        <>
          <p className="catalog-count" aria-live="polite">
            {page.value.totalItems} {kindLabel} {page.value.totalItems === 1 ? 'entity' : 'entities'}
            {page.loading && <span className="pt-muted"> · updating…</span>}
          </p>
          <Table
            caption={`${kindLabel} entities`}
            columns={catalogColumns}
            rows={page.value.items}
            rowKey={(e) => e.metadata.uid ?? `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`}
            sort={state.sort}
            onSortChange={(sort) => update({ sort })}
            emptyMessage="No entities match these filters."
          />
          <nav className="catalog-paging" aria-label="Pages">
            <SelectFilter
              label="Rows per page"
              value={String(state.limit)}
              options={PAGE_SIZES.map((n) => ({ value: String(n) }))}
              onChange={(value) => update({ limit: Number(value ?? 20) })}
              allLabel="Default"
            />
            <button
              type="button"
              className="pt-button pt-button-quiet"
              disabled={!page.value.pageInfo.prevCursor}
              onClick={() => update({ cursor: page.value?.pageInfo.prevCursor })}
            >
              Previous
            </button>
            <button
              type="button"
              className="pt-button pt-button-quiet"
              disabled={!page.value.pageInfo.nextCursor}
              onClick={() => update({ cursor: page.value?.pageInfo.nextCursor })}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </div>
  );
}
