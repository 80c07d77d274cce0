import { stringify } from 'yaml';
import type { CatalogEntity } from '../api/catalog-api.js';

/** A kind the catalog learnt at runtime: its spec, field by field (nested values as YAML). */
export function SpecCard({ entity }: { entity: CatalogEntity }) {
  const entries = Object.entries(entity.spec ?? {});
  return (
    <section className="pt-card" aria-labelledby="spec-title">
      <h2 id="spec-title">{entity.kind} spec</h2>
      {entries.length === 0 ? (
        <p className="pt-muted">No spec.</p>
      ) : (
        <dl className="catalog-fields">
          {entries.map(([key, value]) => (
            <div className="catalog-field" key={key}>
              <dt>{key}</dt>
              <dd>
                {typeof value === 'object' && value !== null ? <pre>{stringify(value)}</pre> : String(value)}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
