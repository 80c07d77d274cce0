import { Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Unauthenticated, type PublicSigningJwk } from '@portal/platform';
import { AuthService, type AuthRefreshResponse } from './auth.service.js';

/** Backstage's auth routes: the JWKS user tokens verify against, and the providers' refresh. */
@Controller('api/auth')
@Unauthenticated()
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Get('.well-known/jwks.json')
  jwks(): Promise<{ keys: PublicSigningJwk[] }> {
    return this.auth.jwks();
  }

  @Get(':provider/refresh')
  @Header('Cache-Control', 'no-store')
  refreshGet(@Param('provider') provider: string): Promise<AuthRefreshResponse> {
    return this.auth.refresh(provider);
  }

  @Post(':provider/refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  refreshPost(@Param('provider') provider: string): Promise<AuthRefreshResponse> {
    return this.auth.refresh(provider);
  }
}
