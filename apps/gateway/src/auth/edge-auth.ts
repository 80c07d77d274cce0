import {
  AuthenticationError,
  extractBearerToken,
  type Principal,
  type TokenVerifier,
} from '@portal/platform';

/**
 * The gateway's check before it forwards a request to a plugin: no credentials is the plugin's
 * business (it may have open routes), but a credential that is present must be valid, so forged,
 * expired or misdirected tokens stop at the edge.
 */
export class EdgeAuth {
  constructor(private readonly verifier: TokenVerifier) {}

  /**
   * @param authorizationHeader the request's `Authorization` header
   * @param targetPluginId the plugin the request goes to: service tokens must be addressed to it
   *   (without it, to the gateway itself)
   * @returns undefined without a header, else the verified caller
   * @throws AuthenticationError for anything present but invalid
   */
  async check(
    authorizationHeader: string | undefined,
    targetPluginId?: string,
  ): Promise<Principal | undefined> {
    if (authorizationHeader === undefined) return undefined;
    const token = extractBearerToken(authorizationHeader);
    if (token === undefined)
      throw new AuthenticationError('Invalid authorization header, expected a Bearer token');
    return this.verifier.verify(token, undefined, targetPluginId ? { audience: targetPluginId } : {});
  }
}
