import { NavLink } from 'react-router';
import type { PluginPage } from '../plugins/plugin-extensions.js';

const ICONS: Record<string, string> = {
  home: '⌂',
  catalog: '▦',
  search: '⌕',
  docs: '≡',
  create: '＋',
  api: '⇄',
};

/** Navigation: home, then every page a manifest puts in the navigation. */
export function Sidebar({ pages, onNavigate }: { pages: PluginPage[]; onNavigate: () => void }) {
  const items = [{ path: '/', title: 'Home', icon: 'home' }, ...pages.filter((p) => p.nav)];
  return (
    <nav aria-label="Main" className="shell-nav">
      <ul>
        {items.map((item) => (
          <li key={item.path}>
            <NavLink to={item.path} end={item.path === '/'} onClick={onNavigate}>
              <span aria-hidden="true" className="shell-nav-icon">
                {ICONS[item.icon ?? ''] ?? '•'}
              </span>
              {item.title}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
