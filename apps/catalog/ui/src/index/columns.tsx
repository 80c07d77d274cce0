import { EntityRefLink, entityRoute, type TableColumn } from '@portal/ui';
import { Link } from 'react-router';
import type { CatalogEntity } from '../api/catalog-api.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The index columns; `orderField` is the catalog field a column sorts by (server side). */
export const SORT_FIELDS: Record<string, string> = {
  name: 'metadata.name',
  owner: 'spec.owner',
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
};

export const catalogColumns: TableColumn<CatalogEntity>[] = [
  {
    key: 'name',
    title: 'Name',
    sortable: true,
    render: (e) => (
      <Link
        to={entityRoute({
          kind: e.kind,
          namespace: e.metadata.namespace ?? 'default',
          name: e.metadata.name,
        })}
        className="pt-entity-link"
      >
        {e.metadata.title ?? e.metadata.name}
      </Link>
    ),
  },
  {
    key: 'owner',
    title: 'Owner',
    sortable: true,
    render: (e) => {
      const owner = text(e.spec?.owner);
      return owner ? <EntityRefLink entityRef={owner} defaultKind="group" /> : '—';
    },
  },
  { key: 'type', title: 'Type', sortable: true, render: (e) => text(e.spec?.type) ?? '—' },
  { key: 'lifecycle', title: 'Lifecycle', sortable: true, render: (e) => text(e.spec?.lifecycle) ?? '—' },
  {
    key: 'description',
    title: 'Description',
    render: (e) => <span className="catalog-description">{e.metadata.description ?? ''}</span>,
  },
  {
    key: 'tags',
    title: 'Tags',
    render: (e) => (
      <ul className="pt-chips">
        {(e.metadata.tags ?? []).map((t) => (
          <li key={t} className="pt-chip">
            {t}
          </li>
        ))}
      </ul>
    ),
  },
];
