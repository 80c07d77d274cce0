import {
  EntityExtensionView,
  entityRoute,
  ErrorPanel,
  Loading,
  useAsync,
  useEntityExtensions,
  usePortalApi,
} from '@portal/ui';
import { useState } from 'react';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { getEntityByName, type CatalogEntity } from '../api/catalog-api.js';
import { AboutCard } from './AboutCard.js';
import { DefinitionTab } from './DefinitionTab.js';
import { HistoryTab } from './HistoryTab.js';
import { ProcessingErrors } from './ProcessingErrors.js';
import { BUILT_IN_KINDS } from './relations.js';
import { RelationsCard } from './RelationsCard.js';
import { SpecCard } from './SpecCard.js';
import { UnregisterPanel } from './UnregisterPanel.js';
import { YamlTab } from './YamlTab.js';

/** `/catalog/:namespace/:kind/:name`: the entity's header, tabs and the tab shown. */
export function EntityPage() {
  const api = usePortalApi();
  const { namespace = 'default', kind = '', name = '' } = useParams();
  const loaded = useAsync(() => getEntityByName(api, kind, namespace, name), [api, kind, namespace, name]);
  if (loaded.error) {
    return (
      <>
        <BackLink />
        <ErrorPanel
          title={`${kind}:${namespace}/${name} could not be loaded`}
          error={loaded.error}
          onRetry={loaded.retry}
        />
      </>
    );
  }
  const entity = loaded.value;
  if (!entity || entity.metadata.name.toLowerCase() !== name.toLowerCase())
    return <Loading label="Loading entity…" />;
  return <EntityView entity={entity} />;
}

function BackLink() {
  return (
    <Link to="/catalog" className="catalog-back">
      ← Catalog
    </Link>
  );
}

function EntityView({ entity }: { entity: CatalogEntity }) {
  const tabs = useEntityExtensions('tabs', entity);
  const [unregistering, setUnregistering] = useState(false);
  const cards = useEntityExtensions('cards', entity);
  const isApi = entity.kind.toLowerCase() === 'api';
  const isCustom = !BUILT_IN_KINDS.has(entity.kind.toLowerCase());
  // Absolute: a relative link inside this splat route would resolve against the current tab.
  const base = entityRoute({
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  });
  const tabLinks = [
    { to: base, title: 'Overview', end: true },
    ...(isApi ? [{ to: `${base}/definition`, title: 'Definition', end: false }] : []),
    ...tabs.map((t) => ({ to: `${base}/${t.path ?? t.id}`, title: t.title, end: false })),
    { to: `${base}/history`, title: 'History', end: false },
    { to: `${base}/yaml`, title: 'YAML', end: false },
  ];
  return (
    <article className="catalog-entity">
      <BackLink />
      <header className="catalog-entity-head">
        <div className="catalog-title-row">
          <h1>{entity.metadata.title ?? entity.metadata.name}</h1>
          <button
            type="button"
            className="pt-button pt-button-quiet"
            aria-expanded={unregistering}
            onClick={() => setUnregistering((u) => !u)}
          >
            Unregister…
          </button>
        </div>
        <p className="pt-muted">
          {entity.kind}
          {typeof entity.spec?.type === 'string' ? ` · ${entity.spec.type}` : ''} ·{' '}
          {entity.metadata.namespace ?? 'default'}
        </p>
      </header>
      <nav className="catalog-tabs" aria-label="Entity sections">
        {tabLinks.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.end}>
            {t.title}
          </NavLink>
        ))}
      </nav>
      {unregistering && <UnregisterPanel entity={entity} onClose={() => setUnregistering(false)} />}
      <ProcessingErrors entity={entity} />
      <Routes>
        <Route
          index
          element={
            <div className="catalog-overview">
              <AboutCard entity={entity} />
              <RelationsCard entity={entity} />
              {isCustom && <SpecCard entity={entity} />}
              {cards.map((card) => (
                <div className="pt-card" key={card.id}>
                  <h2>{card.title}</h2>
                  <EntityExtensionView extension={card} entity={entity} />
                </div>
              ))}
            </div>
          }
        />
        {isApi && <Route path="definition" element={<DefinitionTab entity={entity} />} />}
        {tabs.map((t) => (
          <Route
            key={t.id}
            path={`${t.path ?? t.id}/*`}
            element={<EntityExtensionView extension={t} entity={entity} />}
          />
        ))}
        <Route path="history" element={<HistoryTab entity={entity} />} />
        <Route path="yaml" element={<YamlTab entity={entity} />} />
        <Route
          path="*"
          element={<ErrorPanel title="No such tab" error={new Error('This entity has no such tab.')} />}
        />
      </Routes>
    </article>
  );
}
