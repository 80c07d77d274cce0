import { Link, useLocation } from 'react-router';

/** Any path no page claims. */
export function NotFoundPage() {
  const location = useLocation();
  return (
    <section className="pt-card">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{location.pathname}</code>. The plugin that served it may not be installed.
      </p>
      <Link to="/">Back to the home page</Link>
    </section>
  );
}
