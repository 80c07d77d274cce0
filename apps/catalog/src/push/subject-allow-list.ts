import type { Principal } from '@portal/platform';

/**
 * Who may call: a list of subjects, matched against the verified caller.
 *
 * - a static external-access token (`backend.auth.externalAccess`) by its subject, written bare
 *   (`ci`) or with its prefix (`external:ci`);
 * - another plugin's service token by `plugin:<pluginId>` (on-behalf-of users do not matter);
 * - a user token only by an explicit entity ref: the user's own (`user:default/jane`) or one of
 *   its ownership refs (`group:default/platform`), compared case-insensitively as refs are.
 */
export class SubjectAllowList {
  private readonly entries: Set<string>;

  constructor(readonly subjects: readonly string[]) {
    this.entries = new Set(subjects.map((s) => s.trim()).filter(Boolean));
  }

  allows(principal: Principal | undefined): boolean {
    if (!principal) return false;
    switch (principal.type) {
      case 'external':
        return (
          this.entries.has(principal.subject) || this.entries.has(principal.subject.replace(/^external:/, ''))
        );
      case 'service':
        return this.entries.has(principal.subject);
      case 'user': {
        const refs = new Set(
          [principal.userEntityRef, ...principal.ownershipEntityRefs].map((r) => r.toLowerCase()),
        );
        return [...this.entries].some((entry) => entry.includes(':') && refs.has(entry.toLowerCase()));
      }
      default:
        return false;
    }
  }
}

/** How a caller is named in logs and errors. */
export function describePrincipal(principal: Principal | undefined): string {
  if (!principal) return 'an unauthenticated caller';
  return principal.type === 'user' ? principal.userEntityRef : principal.subject;
}
