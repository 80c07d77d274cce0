/** A signed-in user, from a user token issued by the gateway. */
export interface UserPrincipal {
  type: 'user';
  /** e.g. `user:default/jane` (the token's `sub`). */
  userEntityRef: string;
  /** The user and the groups it belongs to (the token's `ent`). */
  ownershipEntityRefs: string[];
  /** The verified user token, to forward as `obo` when calling another plugin for this user. */
  token: string;
}

/** Another plugin calling with a service token. */
export interface ServicePrincipal {
  type: 'service';
  /** `plugin:<pluginId>`, Backstage's subject for plugin callers. */
  subject: string;
  pluginId: string;
  /** The user the call is made for, when the service token carried a (verified) `obo` user token. */
  onBehalfOf?: UserPrincipal;
}

/** A caller outside the portal, with a static token from `backend.auth.externalAccess`. */
export interface ExternalPrincipal {
  type: 'external';
  /** `external:<subject>`. */
  subject: string;
}

export type Principal = UserPrincipal | ServicePrincipal | ExternalPrincipal;
export type PrincipalType = Principal['type'];

/** The typ header values of the tokens the portal knows. */
export const TOKEN_TYPES = {
  user: 'vnd.backstage.user',
  limitedUser: 'vnd.backstage.limited-user',
  plugin: 'vnd.backstage.plugin',
} as const;
