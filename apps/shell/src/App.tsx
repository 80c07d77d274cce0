import {
  AuthSession,
  ErrorPanel,
  Loading,
  PluginExtensionsProvider,
  PortalApi,
  PortalProvider,
  ThemeProvider,
  useAsync,
  useIdentity,
} from '@portal/ui';
import { useMemo } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { SignInPage } from './auth/SignInPage.js';
import { AppLayout } from './layout/AppLayout.js';
import { HomePage } from './pages/HomePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { fetchInstalledPlugins } from './plugins/discovery.js';
import { pluginExtensions, pluginPages } from './plugins/plugin-extensions.js';
import { registerPluginRemotes } from './plugins/remote-modules.js';
import { RemotePage } from './plugins/RemotePage.js';

const session = new AuthSession({ storage: window.localStorage });
const api = new PortalApi(session);

export function App() {
  return (
    <ThemeProvider>
      <PortalProvider api={api} session={session}>
        <BrowserRouter>
          <SessionGate />
        </BrowserRouter>
      </PortalProvider>
    </ThemeProvider>
  );
}

/** Picks up an earlier session; without one, the sign-in page (whatever the URL). */
function SessionGate() {
  const identity = useIdentity();
  const restoring = useAsync(() => session.restore(), []);
  if (restoring.loading && !identity) return <Loading label="Signing in…" />;
  if (!identity) return <SignInPage />;
  return <Portal />;
}

/** The signed-in portal: plugins from discovery, their remotes registered, routes from manifests. */
function Portal() {
  const installed = useAsync(async () => {
    const plugins = await fetchInstalledPlugins();
    registerPluginRemotes(plugins);
    return plugins;
  }, []);
  const plugins = installed.value;
  const pages = useMemo(() => (plugins ? pluginPages(plugins) : []), [plugins]);
  const extensions = useMemo(() => pluginExtensions(plugins ?? []), [plugins]);

  if (installed.error) {
    return (
      <main className="shell-main" id="main">
        <ErrorPanel
          title="The portal could not list its plugins"
          error={installed.error}
          onRetry={installed.retry}
        />
      </main>
    );
  }
  if (!plugins) return <Loading label="Loading plugins…" />;
  const search = pages.find((p) => p.pluginId === 'search');
  return (
    <PluginExtensionsProvider value={extensions}>
      <AppLayout pages={pages} searchPath={search?.path}>
        <Routes>
          <Route path="/" element={<HomePage pages={pages} />} />
          {pages.map((page) => (
            <Route
              key={page.path}
              path={`${page.path}/*`}
              element={<RemotePage key={page.path} page={page} />}
            />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AppLayout>
    </PluginExtensionsProvider>
  );
}
