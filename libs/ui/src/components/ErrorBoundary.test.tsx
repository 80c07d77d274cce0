import { fireEvent, render, screen } from '@testing-library/react';
import { jest } from '@jest/globals';
import { ResponseError } from '../api/response-error.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { ErrorPanel } from './ErrorPanel.js';
import { Loading } from './Loading.js';

describe('ErrorBoundary', () => {
  let quiet: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    // React reports caught errors on the console; the panel is what this test looks at.
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => quiet.mockRestore());

  it('shows an error panel in place of a throwing child, and renders it again on Retry', () => {
    let broken = true;
    const onRetry = jest.fn();
    function Child() {
      if (broken) throw new Error('remote exploded');
      return <p>all good</p>;
    }
    render(
      <div>
        <p>shell stays</p>
        <ErrorBoundary title="Catalog failed" onRetry={onRetry}>
          <Child />
        </ErrorBoundary>
      </div>,
    );
    expect(screen.getByRole('alert').textContent).toContain('remote exploded');
    expect(screen.getByRole('heading', { name: 'Catalog failed' })).toBeTruthy();
    expect(screen.getByText('shell stays')).toBeTruthy();
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(screen.getByText('all good')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('ErrorPanel and Loading', () => {
  it('shows the Backstage error name and status, and no Retry without a handler', () => {
    render(<ErrorPanel error={new ResponseError('No entity', 404, 'NotFoundError')} />);
    expect(screen.getByRole('alert').textContent).toContain('NotFoundError (HTTP 404)');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('announces loading', () => {
    render(<Loading label="Loading entities…" />);
    expect(screen.getByRole('status').textContent).toBe('Loading entities…');
  });
});
