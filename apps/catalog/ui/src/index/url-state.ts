import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** The catalog index's state, all of it in the URL (shareable, survives reloads, back button works). */
export interface IndexState {
  kind: string;
  type?: string;
  owner?: string;
  lifecycle?: string;
  tag?: string;
  namespace?: string;
  text: string;
  sort: { key: string; direction: 'asc' | 'desc' };
  cursor?: string;
  /** Rows per page. */
  limit: number;
}

export const PAGE_SIZES = [10, 20, 50, 100];

const FILTER_KEYS = ['type', 'owner', 'lifecycle', 'tag', 'namespace'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function useIndexState(): [IndexState, (change: Partial<IndexState>) => void] {
  const [params, setParams] = useSearchParams();
  const [sortKey, sortDirection] = (params.get('sort') ?? 'name,asc').split(',');
  const state: IndexState = {
    kind: params.get('kind') ?? 'component',
    text: params.get('q') ?? '',
    sort: { key: sortKey || 'name', direction: sortDirection === 'desc' ? 'desc' : 'asc' },
    cursor: params.get('cursor') ?? undefined,
    limit: PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : 20,
  };
  for (const key of FILTER_KEYS) state[key] = params.get(key) ?? undefined;

  const update = useCallback(
    (change: Partial<IndexState>) => {
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        const set = (key: string, value: string | undefined) =>
          value ? next.set(key, value) : next.delete(key);
        if ('kind' in change) {
          set('kind', change.kind);
          // Another kind has other types, owners and lifecycles.
          for (const key of FILTER_KEYS) if (!(key in change)) next.delete(key);
        }
        for (const key of FILTER_KEYS) if (key in change) set(key, change[key]);
        if ('text' in change) set('q', change.text);
        if (change.sort) set('sort', `${change.sort.key},${change.sort.direction}`);
        if (change.limit) set('limit', String(change.limit));
        // Any change but paging starts again at the first page.
        if ('cursor' in change) set('cursor', change.cursor);
        else next.delete('cursor');
        return next;
      });
    },
    [setParams],
  );
  return [state, update];
}
