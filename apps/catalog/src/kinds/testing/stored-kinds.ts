// Shared by the kinds operations' tests.
import type { NormalizedKindDefinition } from '@portal/catalog-model';
import type { DataSource } from 'typeorm';

export function widget(specSchema: Record<string, unknown> = { type: 'object' }): NormalizedKindDefinition {
  return { apiVersion: ['example.com/v1'], kind: 'Widget', specSchema, relations: [] };
}

export async function clearKinds(dataSource: DataSource): Promise<void> {
  await dataSource.query('DELETE FROM catalog_kinds');
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 2000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
