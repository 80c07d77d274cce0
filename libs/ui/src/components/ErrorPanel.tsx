import { ResponseError } from '../api/response-error.js';

export interface ErrorPanelProps {
  title?: string;
  error: Error;
  /** Shows a Retry button that calls it. */
  onRetry?: () => void;
  /** Technical detail, folded away. */
  details?: string;
}

/** An error in the area it happened in, with what went wrong and, when possible, a retry. */
export function ErrorPanel({ title = 'Something went wrong', error, onRetry, details }: ErrorPanelProps) {
  const status = error instanceof ResponseError ? `${error.errorName} (HTTP ${error.status})` : undefined;
  return (
    <div className="pt-error-panel" role="alert">
      <h2 className="pt-error-title">{title}</h2>
      <p>{error.message}</p>
      {status && <p className="pt-muted">{status}</p>}
      {details && (
        <details>
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      )}
      {onRetry && (
        <button type="button" className="pt-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
