import { RelationChips } from '@portal/ui';
import type { CatalogEntity } from '../api/catalog-api.js';
import { groupedRelations } from './relations.js';

/** Every relation of the entity, by type, each target a link to its page. */
export function RelationsCard({ entity }: { entity: CatalogEntity }) {
  const groups = groupedRelations(entity);
  return (
    <section className="pt-card" aria-labelledby="relations-title">
      <h2 id="relations-title">Relations</h2>
      {groups.length === 0 ? (
        <p className="pt-muted">No relations.</p>
      ) : (
        <dl className="catalog-fields">
          {groups.map((g) => (
            <div className="catalog-field" key={g.type}>
              <dt>{g.label}</dt>
              <dd>
                <RelationChips refs={g.refs} showKind />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
