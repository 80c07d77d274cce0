import { stringify } from 'yaml';
import type { CatalogEntity } from '../api/catalog-api.js';

/** The entity as the catalog serves it, as YAML. */
export function YamlTab({ entity }: { entity: CatalogEntity }) {
  return (
    <section className="pt-card" aria-labelledby="yaml-title">
      <h2 id="yaml-title">Raw YAML</h2>
      <pre tabIndex={0} aria-label="Entity YAML">
        {stringify(entity)}
      </pre>
    </section>
  );
}
