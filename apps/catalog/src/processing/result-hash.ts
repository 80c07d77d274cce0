// The hash that decides whether a processing result must be written at all.
import type { ProcessingResult } from './types.js';
import { hashOf, hashOfOrdered } from './util/stable-json.js';

/**
 * Covers everything a result writes: the processed entity, its relations, its errors, its
 * children (ref, content hash, owner key) and the location keys whose children it keeps. Lists
 * whose order carries no meaning are sorted, so re-reading the same sources gives the same hash.
 * Children's own hashes are key-order independent (they come from files and providers).
 */
export function resultHashOf(result: ProcessingResult): string {
  if (!result.ok) return hashOf({ ok: false, errors: result.errors });
  // The entity is read from jsonb and processed by deterministic code, so its key order is stable.
  return hashOfOrdered({
    ok: true,
    entity: result.entity,
    relations: result.relations.map((r) => `${r.source}\n${r.type}\n${r.target}`).sort(),
    children: result.children.map((c) => `${c.entityRef}\n${c.hash}\n${c.locationKey ?? ''}`).sort(),
    kept: [...result.keptLocationKeys].sort(),
    errors: result.errors,
  });
}
