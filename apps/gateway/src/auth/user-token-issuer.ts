import { InputError, TOKEN_TYPES, type SigningKey } from '@portal/platform';

export interface UserTokenIssuerOptions {
  /** The `iss` claim: `<backend.baseUrl>/api/auth`. */
  issuer: string;
  /** Token lifetime; one hour by default (Backstage's default). */
  expiresInSeconds?: number;
}

export interface UserIdentity {
  /** e.g. `user:default/jane` */
  userEntityRef: string;
  /** The user and its groups, e.g. `['user:default/jane', 'group:default/team-a']`. */
  ownershipEntityRefs: string[];
}

/** A full entity ref, `kind:namespace/name`. */
const ENTITY_REF = /^[a-zA-Z0-9_.-]+:[a-zA-Z0-9_.-]+\/[a-zA-Z0-9_.-]+$/;

export function isFullEntityRef(ref: string): boolean {
  return ENTITY_REF.test(ref);
}

/**
 * Issues Backstage user tokens: ES256, header `typ: vnd.backstage.user`, claims
 * `iss, sub, ent, aud: 'backstage', iat, exp`. (No `uip`: the portal issues no limited tokens.)
 */
export class UserTokenIssuer {
  readonly issuer: string;
  readonly expiresInSeconds: number;

  constructor(
    private readonly key: SigningKey,
    options: UserTokenIssuerOptions,
  ) {
    this.issuer = options.issuer;
    this.expiresInSeconds = options.expiresInSeconds ?? 3600;
    if (!Number.isInteger(this.expiresInSeconds) || this.expiresInSeconds <= 0) {
      throw new InputError('User token lifetime must be a positive number of seconds');
    }
  }

  async issue(identity: UserIdentity): Promise<string> {
    const { userEntityRef, ownershipEntityRefs } = identity;
    if (!isFullEntityRef(userEntityRef)) {
      throw new InputError(`Invalid user entity ref '${userEntityRef}', expected kind:namespace/name`);
    }
    const bad = ownershipEntityRefs.find((ref) => !isFullEntityRef(ref));
    if (bad !== undefined)
      throw new InputError(`Invalid ownership entity ref '${bad}', expected kind:namespace/name`);
    return this.key.sign(
      { iss: this.issuer, sub: userEntityRef, ent: [...ownershipEntityRefs], aud: 'backstage' },
      { typ: TOKEN_TYPES.user, expiresInSeconds: this.expiresInSeconds },
    );
  }
}
