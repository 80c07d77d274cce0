import { useCallback, useEffect, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  loading: boolean;
  error?: Error;
  value?: T;
  /** Runs the work again (an error panel's Retry). */
  retry: () => void;
}

/**
 * Runs `work` when `deps` change (and on retry) and holds its latest result; answers of earlier
 * runs that arrive late are dropped. The value of the previous run stays while a new one loads.
 */
export function useAsync<T>(work: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<AsyncState<T>, 'retry'>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((s) => ({ loading: true, value: s.value }));
    work().then(
      (value) => current && setState({ loading: false, value }),
      (err: unknown) =>
        current && setState({ loading: false, error: err instanceof Error ? err : new Error(String(err)) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
