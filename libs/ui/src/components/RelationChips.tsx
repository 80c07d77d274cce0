import { EntityRefLink } from './EntityRefLink.js';

export interface RelationChipsProps {
  /** Entity refs (`kind:namespace/name`). */
  refs: string[];
  showKind?: boolean;
  emptyText?: string;
}

/** A compact list of linked entity refs. */
export function RelationChips({ refs, showKind, emptyText = '—' }: RelationChipsProps) {
  if (refs.length === 0) return <span className="pt-muted">{emptyText}</span>;
  return (
    <ul className="pt-chips">
      {refs.map((ref) => (
        <li key={ref} className="pt-chip">
          <EntityRefLink entityRef={ref} showKind={showKind} />
        </li>
      ))}
    </ul>
  );
}
