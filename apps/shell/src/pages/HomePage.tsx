import { useIdentity, useInstalledPlugins } from '@portal/ui';
import { Link } from 'react-router';
import type { PluginPage } from '../plugins/plugin-extensions.js';

/** The start page: who you are, and what this portal has installed. */
export function HomePage({ pages }: { pages: PluginPage[] }) {
  const identity = useIdentity();
  const plugins = useInstalledPlugins();
  const name = identity?.profile.displayName ?? identity?.userEntityRef.replace(/^user:(default\/)?/, '');
  return (
    <>
      <h1>Welcome{name ? `, ${name}` : ''}</h1>
      <div className="shell-home-grid">
        {pages
          .filter((p) => p.nav)
          .map((page) => (
            <Link key={page.path} to={page.path} className="pt-card shell-home-card">
              <h2>{page.title}</h2>
              <span className="pt-muted">{page.path}</span>
            </Link>
          ))}
      </div>
      <section className="pt-card" aria-labelledby="installed-plugins">
        <h2 id="installed-plugins">Installed plugins</h2>
        <ul className="shell-plugin-list">
          {plugins.map((p) => (
            <li key={p.id}>
              <strong>{p.title ?? p.id}</strong> <span className="pt-muted">{p.version}</span>
              {!p.hasUi && <span className="pt-muted"> · no UI</span>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
