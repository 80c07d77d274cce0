import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

/** The global search box: hands the query to the search plugin's page (`/search?query=`). */
export function SearchBox({ searchPath }: { searchPath: string }) {
  const [query, setQuery] = useState('');
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) void navigate(`${searchPath}?${new URLSearchParams({ query: query.trim() })}`);
  };
  return (
    <form role="search" className="shell-search" onSubmit={submit}>
      <label htmlFor="shell-search-input" className="pt-visually-hidden">
        Search the portal
      </label>
      <input
        id="shell-search-input"
        className="pt-input"
        type="search"
        placeholder="Search…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
    </form>
  );
}
