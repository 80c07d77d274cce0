/** A polite, announced loading state. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="pt-loading" role="status" aria-live="polite">
      <span className="pt-spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
