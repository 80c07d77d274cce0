import { ErrorBoundary, ErrorPanel, Loading, useAsync } from '@portal/ui';
import { useState, type ComponentType } from 'react';
import { loadPluginModule } from './remote-modules.js';
import type { PluginPage } from './plugin-extensions.js';

interface PageModule {
  default: ComponentType;
}

/**
 * One plugin's page in its own area: the remote module is loaded on first visit; a module that
 * fails to load or throws shows an error panel with Retry here, and the rest of the shell goes on.
 */
export function RemotePage({ page }: { page: PluginPage }) {
  const [attempt, setAttempt] = useState(0);
  const loaded = useAsync(
    () => loadPluginModule<PageModule>(page.pluginId, page.module, attempt > 0),
    [page.pluginId, page.module, attempt],
  );
  const retry = () => setAttempt((n) => n + 1);
  const title = `${page.title} could not be shown`;
  if (loaded.error) {
    const error = new Error(
      `The ${page.title} module could not be loaded from the '${page.pluginId}' plugin: its service may be down or restarting.`,
    );
    return <ErrorPanel title={title} error={error} details={loaded.error.message} onRetry={retry} />;
  }
  if (loaded.loading || !loaded.value) return <Loading label={`Loading ${page.title}…`} />;
  const Page = loaded.value.default;
  return (
    <ErrorBoundary title={title} onRetry={retry} resetKey={attempt}>
      <Page />
    </ErrorBoundary>
  );
}
