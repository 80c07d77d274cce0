import { ErrorPanel, Table, usePortalApi } from '@portal/ui';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { addLocation, type CatalogEntity, type LocationResult } from '../api/catalog-api.js';
import { EntityRefLinkOf } from './EntityRefLinkOf.js';

type Step =
  { name: 'form' } | { name: 'preview'; result: LocationResult } | { name: 'done'; result: LocationResult };

/** Register an existing component: URL → dry run preview of its entities → import. */
export function RegisterPage() {
  const api = usePortalApi();
  const typeId = useId();
  const targetId = useId();
  const [type, setType] = useState('url');
  const [target, setTarget] = useState('');
  const [step, setStep] = useState<Step>({ name: 'form' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await addLocation(api, type, target.trim(), dryRun);
      setStep(dryRun ? { name: 'preview', result } : { name: 'done', result });
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const analyze = (e: FormEvent) => {
    e.preventDefault();
    void run(true);
  };

  return (
    <div className="catalog-register">
      <Link to=".." relative="path" className="catalog-back">
        ← Catalog
      </Link>
      <h1>Register an existing component</h1>
      <form className="pt-card catalog-register-form" onSubmit={analyze}>
        <div className="pt-filter">
          <label htmlFor={typeId}>Location type</label>
          <select
            id={typeId}
            value={type}
            onChange={(e) => setType(e.target.value)}
            disabled={step.name !== 'form'}
          >
            <option value="url">url</option>
            <option value="file">file</option>
          </select>
        </div>
        <div className="pt-filter catalog-register-target">
          <label htmlFor={targetId}>URL of the catalog-info.yaml</label>
          <input
            id={targetId}
            required
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder="https://github.com/acme/payments/blob/main/catalog-info.yaml"
            disabled={step.name !== 'form'}
          />
        </div>
        {step.name === 'form' && (
          <button type="submit" className="pt-button" disabled={busy || !target.trim()}>
            Analyze
          </button>
        )}
      </form>
      {error && <ErrorPanel title="The location could not be registered" error={error} />}
      {step.name === 'preview' && (
        <section className="pt-card" aria-labelledby="preview-title">
          <h2 id="preview-title">
            {step.result.entities.length} {step.result.entities.length === 1 ? 'entity' : 'entities'} will be
            added
          </h2>
          {step.result.exists && <p>This location is already registered: importing refreshes it.</p>}
          <EntitiesTable entities={step.result.entities} />
          <div className="catalog-actions">
            <button type="button" className="pt-button" disabled={busy} onClick={() => void run(false)}>
              Import
            </button>
            <button
              type="button"
              className="pt-button pt-button-quiet"
              onClick={() => setStep({ name: 'form' })}
            >
              Back
            </button>
          </div>
        </section>
      )}
      {step.name === 'done' && (
        <section className="pt-card" role="status">
          <h2>Registered</h2>
          <p>
            Location <code>{step.result.location.target}</code> was added; its entities appear once processed.
          </p>
          <button
            type="button"
            className="pt-button pt-button-quiet"
            onClick={() => {
              setTarget('');
              setStep({ name: 'form' });
            }}
          >
            Register another
          </button>
        </section>
      )}
    </div>
  );
}

function EntitiesTable({ entities }: { entities: CatalogEntity[] }) {
  return (
    <Table<CatalogEntity>
      caption="Entities found"
      rows={entities}
      rowKey={(e) => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`}
      columns={[
        { key: 'kind', title: 'Kind', render: (e) => e.kind, sortValue: (e) => e.kind },
        {
          key: 'name',
          title: 'Name',
          render: (e) => <EntityRefLinkOf entity={e} />,
          sortValue: (e) => e.metadata.name,
        },
        { key: 'description', title: 'Description', render: (e) => e.metadata.description ?? '' },
      ]}
    />
  );
}
