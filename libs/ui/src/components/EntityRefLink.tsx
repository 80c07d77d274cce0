import { Link } from 'react-router';
import { entityRoute, parseEntityRef, type EntityName } from '../extensions/entity-ref.js';

export interface EntityRefLinkProps {
  /** `kind:namespace/name` or its parts. */
  entityRef: string | EntityName;
  /** The kind when the ref leaves it out. */
  defaultKind?: string;
  /** Shows the kind before the name. */
  showKind?: boolean;
  title?: string;
}

/** A link to an entity's page; the default namespace is left out of the text, as Backstage does. */
export function EntityRefLink({ entityRef, defaultKind, showKind, title }: EntityRefLinkProps) {
  let name: EntityName;
  try {
    name = typeof entityRef === 'string' ? parseEntityRef(entityRef, { kind: defaultKind }) : entityRef;
  } catch {
    return <span>{String(entityRef)}</span>;
  }
  const text =
    title ??
    `${showKind ? `${name.kind.toLowerCase()}:` : ''}${name.namespace === 'default' ? '' : `${name.namespace}/`}${name.name}`;
  return (
    <Link className="pt-entity-link" to={entityRoute(name)}>
      {text}
    </Link>
  );
}
