import { EntityRefLink, MarkdownView, RelationChips } from '@portal/ui';
import type { ReactNode } from 'react';
import type { CatalogEntity } from '../api/catalog-api.js';
import { annotationUrl, safeHttpUrl } from './relations.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="catalog-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Description, owner, system, lifecycle, tags, links and the source/view/edit links of an entity. */
export function AboutCard({ entity }: { entity: CatalogEntity }) {
  const spec = entity.spec ?? {};
  const profile = (spec.profile ?? {}) as { displayName?: string; email?: string };
  const source = annotationUrl(entity, 'backstage.io/source-location');
  const view = annotationUrl(entity, 'backstage.io/view-url') ?? source;
  const edit = annotationUrl(entity, 'backstage.io/edit-url');
  const links = (entity.metadata.links ?? []).flatMap((l) => {
    const url = safeHttpUrl(l.url);
    return url ? [{ url, title: l.title ?? l.url }] : [];
  });
  return (
    <section className="pt-card" aria-labelledby="about-title">
      <div className="catalog-card-head">
        <h2 id="about-title">About</h2>
        <span className="catalog-source-links">
          {view && (
            <a href={view} target="_blank" rel="noopener noreferrer">
              View source
            </a>
          )}
          {edit && (
            <a href={edit} target="_blank" rel="noopener noreferrer">
              Edit
            </a>
          )}
        </span>
      </div>
      {entity.metadata.description ? (
        <MarkdownView content={entity.metadata.description} />
      ) : (
        <p className="pt-muted">No description.</p>
      )}
      <dl className="catalog-fields">
        {str(spec.owner) && (
          <Field label="Owner">
            <EntityRefLink entityRef={str(spec.owner)!} defaultKind="group" />
          </Field>
        )}
        {str(spec.system) && (
          <Field label="System">
            <EntityRefLink entityRef={str(spec.system)!} defaultKind="system" />
          </Field>
        )}
        {str(spec.domain) && (
          <Field label="Domain">
            <EntityRefLink entityRef={str(spec.domain)!} defaultKind="domain" />
          </Field>
        )}
        {str(spec.type) && <Field label="Type">{str(spec.type)}</Field>}
        {str(spec.lifecycle) && <Field label="Lifecycle">{str(spec.lifecycle)}</Field>}
        {profile.displayName && <Field label="Name">{profile.displayName}</Field>}
        {profile.email && (
          <Field label="Email">
            <a href={`mailto:${profile.email}`}>{profile.email}</a>
          </Field>
        )}
        <Field label="Namespace">{entity.metadata.namespace ?? 'default'}</Field>
        {(entity.metadata.tags ?? []).length > 0 && (
          <Field label="Tags">
            <ul className="pt-chips">
              {entity.metadata.tags!.map((t) => (
                <li className="pt-chip" key={t}>
                  {t}
                </li>
              ))}
            </ul>
          </Field>
        )}
        {Array.isArray(spec.dependsOn) && (
          <Field label="Depends on">
            <RelationChips
              refs={(spec.dependsOn as unknown[]).filter((r): r is string => typeof r === 'string')}
              showKind
            />
          </Field>
        )}
      </dl>
      {links.length > 0 && (
        <>
          <h3 className="catalog-subtitle">Links</h3>
          <ul>
            {links.map((l) => (
              <li key={l.url}>
                <a href={l.url} target="_blank" rel="noopener noreferrer">
                  {l.title}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
