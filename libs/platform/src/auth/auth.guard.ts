import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type CustomDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Metadata } from '@grpc/grpc-js';
import { AuthenticationError } from '../errors/errors.js';
import type { Principal, PrincipalType } from './principal.js';
import { extractBearerToken, TokenVerifier } from './token-verifier.js';

/** Injection token of the service's TokenVerifier. */
export const TOKEN_VERIFIER = Symbol.for('portal.auth.TokenVerifier');

export const UNAUTHENTICATED_METADATA = 'portal:auth:unauthenticated';
export const ALLOWED_PRINCIPALS_METADATA = 'portal:auth:allow';

/** The route (or every route of the controller) may be called without credentials. */
export const Unauthenticated = (): CustomDecorator<string> => SetMetadata(UNAUTHENTICATED_METADATA, true);

/** Only these kinds of caller may use the route (all three by default). */
export const AllowPrincipals = (...types: PrincipalType[]): CustomDecorator<string> =>
  SetMetadata(ALLOWED_PRINCIPALS_METADATA, types);

/** An HTTP request as the guard sees it; `principal` is set once the caller is verified. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

const grpcPrincipals = new WeakMap<object, Principal>();

/** The caller of a gRPC call, as verified by AuthGuard from its metadata. */
export function principalFromMetadata(metadata: Metadata): Principal | undefined {
  return grpcPrincipals.get(metadata);
}

/** The caller of an HTTP request, as verified by AuthGuard. */
export function principalFromRequest(request: { principal?: Principal }): Principal | undefined {
  return request.principal;
}

/** The verified caller of the current HTTP request or gRPC call (undefined on unauthenticated routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => {
    if (context.getType() === 'rpc') return grpcPrincipals.get(context.switchToRpc().getContext<Metadata>());
    return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  },
);

function isMetadata(value: unknown): value is Metadata {
  return value !== null && typeof value === 'object' && typeof (value as Metadata).get === 'function';
}

/**
 * Every request needs a valid credential unless its route is marked `@Unauthenticated()`.
 * HTTP reads `Authorization: Bearer`, gRPC the `authorization` metadata. The verified caller is
 * attached to the request (`req.principal`) or, for gRPC, to the call's Metadata object.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const open =
      this.reflector.getAllAndOverride<boolean | undefined>(UNAUTHENTICATED_METADATA, targets) === true;
    const allow = this.reflector.getAllAndOverride<PrincipalType[] | undefined>(
      ALLOWED_PRINCIPALS_METADATA,
      targets,
    );

    let header: string | undefined;
    let attach: (principal: Principal) => void;
    const type = context.getType();
    if (type === 'http') {
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      const value = request.headers.authorization;
      header = Array.isArray(value) ? value[0] : value;
      attach = (principal) => {
        request.principal = principal;
      };
    } else if (type === 'rpc') {
      const metadata = context.switchToRpc().getContext<unknown>();
      if (!isMetadata(metadata)) {
        if (open) return true;
        throw new AuthenticationError('Missing credentials');
      }
      const value = metadata.get('authorization')[0];
      header = typeof value === 'string' ? value : value?.toString('utf8');
      attach = (principal) => {
        grpcPrincipals.set(metadata, principal);
      };
    } else {
      if (open) return true;
      throw new AuthenticationError(`Unsupported transport '${type}'`);
    }

    if (header === undefined || header === '') {
      if (open) return true;
      throw new AuthenticationError('Missing credentials');
    }
    const token = extractBearerToken(header);
    if (token === undefined) {
      if (open) return true;
      throw new AuthenticationError('Invalid authorization header, expected a Bearer token');
    }
    try {
      attach(await this.verifier.verify(token, allow));
    } catch (err) {
      // On an open route a bad credential is ignored: the handler simply sees no principal.
      if (open) return true;
      throw err;
    }
    return true;
  }
}
