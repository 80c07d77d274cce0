import type { CatalogEntity } from '../api/catalog-api.js';

/** The entity's processing errors (`status.items`): the last good version is shown, with these. */
export function ProcessingErrors({ entity }: { entity: CatalogEntity }) {
  const items = (entity.status?.items ?? []).filter((i) => i.level === 'error' || i.level === 'warning');
  if (items.length === 0) return null;
  return (
    <section className="catalog-warning" role="alert" aria-labelledby="processing-errors-title">
      <h2 id="processing-errors-title">Processing errors</h2>
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            <strong>{item.error?.name ?? item.type}</strong>: {item.error?.message ?? item.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
