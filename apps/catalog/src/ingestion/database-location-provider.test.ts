import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReader, UrlReader } from '@portal/platform';
import { silentLogger } from '../processing/testing/fixtures.js';
import { referenceLines, truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { DatabaseLocationProvider } from './database-location-provider.js';
import { locationEntityRef } from './location-entity.js';
import { ProviderConnection } from './provider-connection.js';

describe('DatabaseLocationProvider', () => {
  const db = useTestDatabase();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'db-locations-')));
  writeFileSync(join(root, 'catalog-info.yaml'), '');
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'db-outside-')));
  writeFileSync(join(outside, 'catalog-info.yaml'), '');

  const provider = () =>
    new DatabaseLocationProvider({
      dataSource: db().dataSource,
      urlReader: new UrlReader({ allow: [{ host: 'git.example.com' }] }),
      fileReader: new FileReader([root]),
    });
  const connect = async (p = provider()) => {
    await p.connect(
      new ProviderConnection({ dataSource: db().dataSource, sourceKey: p.name, logger: silentLogger() }),
    );
    return p;
  };
  beforeEach(() => truncateAll(db().dataSource));

  it('adds a location to the table and emits its entity; removing takes both away', async () => {
    const p = await connect();
    const target = 'https://git.example.com/org/repo/blob/main/catalog-info.yaml';
    const { location, exists } = await p.addLocation({ type: 'url', target });
    expect(exists).toBe(false);
    expect(location).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'url',
      target,
      entityRef: locationEntityRef({ type: 'url', target }),
    });
    expect(await p.listLocations()).toEqual([location]);
    expect(await p.getLocation(location.id)).toEqual(location);
    expect(await referenceLines(db().dataSource)).toEqual([
      `provider:DatabaseLocationProvider -> ${location.entityRef}`,
    ]);

    expect(await p.removeLocation(location.id)).toEqual(location);
    expect(await p.listLocations()).toEqual([]);
    expect(await referenceLines(db().dataSource)).toEqual([]);
    await expect(p.removeLocation(location.id)).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(p.getLocation(location.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('re-emits every stored location at connect, and removes entities of rows deleted meanwhile', async () => {
    const first = await connect();
    const { location } = await first.addLocation({ type: 'file', target: join(root, 'catalog-info.yaml') });
    await first.addLocation({ type: 'url', target: 'https://git.example.com/a.yaml' });
    await db().dataSource.query(`DELETE FROM locations WHERE type = 'url'`);
    await connect();
    expect(await referenceLines(db().dataSource)).toEqual([
      `provider:DatabaseLocationProvider -> ${location.entityRef}`,
    ]);
  });

  it('refuses duplicates (unless asked to refresh), unknown types, relative files and unreadable targets', async () => {
    const p = await connect();
    await p.addLocation({ type: 'file', target: join(root, 'catalog-info.yaml') });
    await expect(
      p.addLocation({ type: 'file', target: join(root, '.', 'catalog-info.yaml') }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(p.addLocation({ type: 'github', target: 'x' })).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(p.addLocation({ type: 'file', target: 'relative.yaml' })).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(
      p.addLocation({ type: 'file', target: join(outside, 'catalog-info.yaml') }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      p.addLocation({ type: 'url', target: 'https://elsewhere.example.com/a.yaml' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect((await p.listLocations()).length).toBe(1);
  });

  it('updates a location: the row changes, its Location entity keeps its ref and is emitted with the new spec', async () => {
    const p = await connect();
    const { location } = await p.addLocation({ type: 'url', target: 'https://git.example.com/a.yaml' });
    const other = await p.addLocation({ type: 'url', target: 'https://git.example.com/b.yaml' });
    const updated = await p.updateLocation(location.id, {
      type: 'url',
      target: 'https://git.example.com/c.yaml',
    });
    expect(updated).toEqual({
      id: location.id,
      type: 'url',
      target: 'https://git.example.com/c.yaml',
      entityRef: location.entityRef,
    });
    expect(await referenceLines(db().dataSource)).toEqual(
      [
        `provider:DatabaseLocationProvider -> ${other.location.entityRef}`,
        `provider:DatabaseLocationProvider -> ${location.entityRef}`,
      ].sort(),
    );
    const [row] = await db().dataSource.query(
      'SELECT location_key, unprocessed_entity FROM refresh_state WHERE entity_ref = $1',
      [location.entityRef],
    );
    expect(row.location_key).toBe('url:https://git.example.com/c.yaml');
    expect(row.unprocessed_entity.spec).toEqual({ type: 'url', target: 'https://git.example.com/c.yaml' });
    // A new connect (another replica, a restart) emits the same ref.
    await connect();
    expect(await referenceLines(db().dataSource)).toHaveLength(2);
    await expect(
      p.updateLocation(location.id, { type: 'url', target: 'https://git.example.com/b.yaml' }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(
      p.updateLocation(location.id, { type: 'url', target: 'https://elsewhere.example.com/x.yaml' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      p.updateLocation('00000000-0000-4000-8000-000000000000', {
        type: 'url',
        target: 'https://git.example.com/d.yaml',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('is unavailable until connected', async () => {
    await expect(
      provider().addLocation({ type: 'url', target: 'https://git.example.com/a.yaml' }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });
});
