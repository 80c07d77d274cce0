import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@portal/platform';
import { catalogFileReader, readEngineSettings } from './engine-settings.js';

const read = (catalog: object) => readEngineSettings(Config.fromObject({ catalog } as never));

describe('readEngineSettings', () => {
  it('has Backstage-like defaults', () => {
    expect(read({})).toEqual({
      processingEnabled: true,
      processingIntervalSeconds: 100,
      processingJitterSeconds: 50,
      orphanStrategy: 'keep',
      orphanProviderStrategy: 'delete',
      stitchLeaseMs: 60_000,
      stitchSettleMs: 1000,
      stitchBulkSettleMs: 5000,
      stitchPollMs: 1000,
      processingPollMs: 1000,
      batchSize: 500,
      concurrency: 6,
      stitchBatchSize: 1000,
      orphanCleanupIntervalMs: 30_000,
      maintenanceIntervalMs: 5000,
    });
  });

  it('reads the catalog keys', () => {
    const settings = read({
      processingInterval: { minutes: 3 },
      orphanStrategy: 'delete',
      orphanProviderStrategy: 'keep',
      stitchingStrategy: {
        stitchTimeout: 'PT2M',
        pollingInterval: { milliseconds: 200 },
        settleTime: { seconds: 0 },
      },
      processing: {
        enabled: false,
        batchSize: 50,
        concurrency: '4',
        stitchBatchSize: 400,
        pollingInterval: 'PT0.5S',
      },
    });
    expect(settings).toMatchObject({
      processingEnabled: false,
      processingIntervalSeconds: 180,
      processingJitterSeconds: 90,
      orphanStrategy: 'delete',
      orphanProviderStrategy: 'keep',
      stitchLeaseMs: 120_000,
      stitchPollMs: 200,
      stitchSettleMs: 0,
      processingPollMs: 500,
      batchSize: 50,
      concurrency: 4,
      stitchBatchSize: 400,
    });
  });

  it('turns processing off with processingInterval: false, as Backstage does', () => {
    expect(read({ processingInterval: false }).processingEnabled).toBe(false);
  });

  it.each([
    [{ orphanStrategy: 'sometimes' }, /catalog\.orphanStrategy/],
    [{ processingInterval: { seconds: 0.5 } }, /catalog\.processingInterval/],
    [{ processingInterval: 'soon' }, /catalog\.processingInterval/],
    [{ processing: { batchSize: 0 } }, /catalog\.processing\.batchSize/],
    [{ processing: { concurrency: 1.5 } }, /catalog\.processing\.concurrency/],
    [{ stitchingStrategy: { stitchTimeout: { milliseconds: 10 } } }, /stitchTimeout/],
  ])('refuses %j naming the key', (catalog, message) => {
    expect(() => read(catalog)).toThrow(message);
  });
});

describe('catalogFileReader', () => {
  it('reads only under catalog.fileRoots, resolved against the root dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roots-'));
    writeFileSync(join(dir, 'a.yaml'), 'x: 1');
    const reader = catalogFileReader(Config.fromObject({ catalog: { fileRoots: ['.'] } }), dir);
    expect((await reader.read(join(dir, 'a.yaml'))).body.toString()).toBe('x: 1');
    await expect(catalogFileReader(Config.fromObject({}), dir).read(join(dir, 'a.yaml'))).rejects.toThrow(
      /not under a configured file root/,
    );
  });
});
