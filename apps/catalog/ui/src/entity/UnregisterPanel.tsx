import { ErrorPanel, Loading, useAsync, usePortalApi } from '@portal/ui';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteLocation, getLocationByEntity, type CatalogEntity } from '../api/catalog-api.js';

/** Unregister the location an entity came from, after saying which one it is. */
export function UnregisterPanel({ entity, onClose }: { entity: CatalogEntity; onClose: () => void }) {
  const api = usePortalApi();
  const navigate = useNavigate();
  const { kind, metadata } = entity;
  const location = useAsync(
    () => getLocationByEntity(api, kind, metadata.namespace ?? 'default', metadata.name),
    [api, kind, metadata.namespace, metadata.name],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const unregister = async (id: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await deleteLocation(api, id);
      void navigate('/catalog');
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };

  return (
    <section className="pt-card catalog-unregister" aria-labelledby="unregister-title">
      <h2 id="unregister-title">Unregister entity</h2>
      {location.error && <ErrorPanel title="Its location could not be found" error={location.error} />}
      {location.loading && <Loading label="Finding its location…" />}
      {location.value && (
        <p>
          This removes the location <code>{location.value.target}</code> ({location.value.type}) and every
          entity it brought into the catalog.
        </p>
      )}
      {error && <ErrorPanel title="The location could not be unregistered" error={error} />}
      <div className="catalog-actions">
        {location.value && (
          <button
            type="button"
            className="pt-button catalog-danger"
            disabled={busy}
            onClick={() => void unregister(location.value!.id)}
          >
            Unregister location
          </button>
        )}
        <button type="button" className="pt-button pt-button-quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
