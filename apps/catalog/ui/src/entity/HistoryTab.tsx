import { ErrorPanel, Loading, Table, useAsync, usePortalApi } from '@portal/ui';
import { getEntityHistory, type CatalogEntity, type HistoryItem } from '../api/catalog-api.js';

/** Past versions of the entity, from the catalog's change stream (newest first). */
export function HistoryTab({ entity }: { entity: CatalogEntity }) {
  const api = usePortalApi();
  const { kind, metadata } = entity;
  const history = useAsync(
    () => getEntityHistory(api, kind, metadata.namespace ?? 'default', metadata.name),
    [api, kind, metadata.namespace, metadata.name],
  );
  if (history.error)
    return <ErrorPanel title="History could not be loaded" error={history.error} onRetry={history.retry} />;
  if (!history.value) return <Loading label="Loading history…" />;
  return (
    <Table<HistoryItem>
      caption="Entity history"
      rows={history.value.items}
      rowKey={(i) => i.id}
      columns={[
        { key: 'when', title: 'When', render: (i) => new Date(i.createdAt).toLocaleString() },
        { key: 'type', title: 'Change', render: (i) => i.type },
        { key: 'source', title: 'Source', render: (i) => i.source ?? '—' },
        {
          key: 'summary',
          title: 'Version',
          render: (i) =>
            i.entity ? ((i.entity.metadata.etag as string | undefined) ?? i.entity.metadata.name) : '—',
        },
      ]}
      emptyMessage="No history."
    />
  );
}
