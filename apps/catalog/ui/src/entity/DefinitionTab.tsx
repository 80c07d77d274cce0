import { parse } from 'yaml';
import type { CatalogEntity } from '../api/catalog-api.js';

interface OpenApiDocument {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string; operationId?: string }>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function openApiOf(type: unknown, definition: string): OpenApiDocument | undefined {
  if (type !== 'openapi') return undefined;
  try {
    const doc = parse(definition) as OpenApiDocument | null;
    return doc && typeof doc === 'object' && doc.paths ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** An API's definition: OpenAPI as a readable list of operations, anything else as text. */
export function DefinitionTab({ entity }: { entity: CatalogEntity }) {
  const definition = typeof entity.spec?.definition === 'string' ? entity.spec.definition : '';
  const doc = openApiOf(entity.spec?.type, definition);
  return (
    <section className="pt-card" aria-labelledby="definition-title">
      <h2 id="definition-title">
        Definition{doc?.info?.title ? `: ${doc.info.title}` : ''}
        {doc?.info?.version ? ` ${doc.info.version}` : ''}
      </h2>
      {doc && (
        <table className="pt-table catalog-operations">
          <caption className="pt-visually-hidden">Operations</caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
              Object.entries(ops ?? {})
                .filter(([method]) => METHODS.includes(method))
                .map(([method, op]) => (
                  <tr key={`${method} ${path}`}>
                    <td>
                      <code>{method.toUpperCase()}</code>
                    </td>
                    <td>
                      <code>{path}</code>
                    </td>
                    <td>{op?.summary ?? op?.operationId ?? ''}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      )}
      <details open={!doc}>
        <summary>Source</summary>
        <pre tabIndex={0}>{definition || 'No definition.'}</pre>
      </details>
    </section>
  );
}
