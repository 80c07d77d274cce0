import { ThemeToggle } from '@portal/ui';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { PluginPage } from '../plugins/plugin-extensions.js';
import { SearchBox } from './SearchBox.js';
import { Sidebar } from './Sidebar.js';
import { UserMenu } from './UserMenu.js';

export interface AppLayoutProps {
  pages: PluginPage[];
  /** The search plugin's page path, when a search plugin with UI is installed. */
  searchPath?: string;
  children: ReactNode;
}

/** Header (menu toggle on small screens, search, theme, user), sidebar navigation and the main area. */
export function AppLayout({ pages, searchPath, children }: AppLayoutProps) {
  const [navOpen, setNavOpen] = useState(false);
  return (
    <div className={`shell ${navOpen ? 'shell-nav-open' : ''}`}>
      <a className="shell-skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <button
          type="button"
          className="pt-button pt-button-quiet shell-nav-toggle"
          aria-expanded={navOpen}
          aria-controls="shell-sidebar"
          onClick={() => setNavOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
          <span className="pt-visually-hidden">Menu</span>
        </button>
        <Link to="/" className="shell-brand">
          Portal
        </Link>
        <div className="shell-header-tools">
          {searchPath && <SearchBox searchPath={searchPath} />}
          <ThemeToggle />
          <UserMenu />
        </div>
      </header>
      <aside id="shell-sidebar" className="shell-sidebar">
        <Sidebar pages={pages} onNavigate={() => setNavOpen(false)} />
      </aside>
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
