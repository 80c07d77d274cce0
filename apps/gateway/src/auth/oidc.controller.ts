import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AuthenticationError,
  errorMapping,
  NotFoundError,
  PortalError,
  Unauthenticated,
  type Logger,
} from '@portal/platform';
import { OidcSignIn, PENDING_SIGN_IN_SECONDS, type PendingSignIn } from './oidc-sign-in.js';
import { cookieOptions, popupResponseHtml } from './sign-in-http.js';

export const OIDC_SIGN_IN = Symbol.for('portal.gateway.OidcSignIn');
export const SIGN_IN_HTTP = Symbol.for('portal.gateway.SignInHttp');

export interface SignInHttpSettings {
  /** `backend.baseUrl`: decides whether cookies are Secure. */
  baseUrl: string;
  logger?: Logger;
}

const PROVIDER = 'oidc';
const REFRESH_COOKIE = `${PROVIDER}-refresh-token`;
const STATE_COOKIE = `${PROVIDER}-nonce`;
const PROVIDER_PATH = `/api/auth/${PROVIDER}`;
const HANDLER_PATH = `${PROVIDER_PATH}/handler`;

function queryOf(req: Request): URLSearchParams {
  const raw = req.originalUrl ?? req.url;
  const q = raw.indexOf('?');
  return new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
}

function cookie(req: Request, name: string): string | undefined {
  const value = (req as Request & { cookies?: Record<string, unknown> }).cookies?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Backstage's CSRF check on refresh and logout: its frontend sends `X-Requested-With:
 * XMLHttpRequest`, which a cross-site form or navigation cannot.
 */
function checkRequestedWith(req: Request): void {
  if (req.header('x-requested-with') !== 'XMLHttpRequest') {
    throw new AuthenticationError('Invalid X-Requested-With header');
  }
}

function one(query: URLSearchParams, key: string): string | undefined {
  const values = query.getAll(key);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Backstage's routes of the `oidc` provider: `/start` (to the IdP), `/handler/frame` (the IdP's
 * callback), `/refresh` and `/logout`. Listed before the generic `:provider/refresh` route.
 */
@Controller('api/auth/oidc')
@Unauthenticated()
export class OidcController {
  constructor(
    @Inject(OIDC_SIGN_IN) private readonly signIn: OidcSignIn | undefined,
    @Inject(SIGN_IN_HTTP) private readonly http: SignInHttpSettings,
  ) {}

  private provider(): OidcSignIn {
    if (!this.signIn) throw new NotFoundError("Unknown auth provider 'oidc'");
    return this.signIn;
  }

  @Get('start')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = queryOf(req);
    const { url, state } = await this.provider().start({
      env: one(query, 'env'),
      origin: one(query, 'origin'),
      redirectUrl: one(query, 'redirectUrl'),
      flow: one(query, 'flow'),
    });
    res.cookie(STATE_COOKIE, state, cookieOptions(this.http.baseUrl, HANDLER_PATH, PENDING_SIGN_IN_SECONDS));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Get('handler/frame')
  async handler(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = queryOf(req);
    const provider = this.provider();
    res.setHeader('Cache-Control', 'no-store');
    res.clearCookie(STATE_COOKIE, cookieOptions(this.http.baseUrl, HANDLER_PATH));
    const pending = await provider.takePending(query, cookie(req, STATE_COOKIE));
    try {
      const result = await provider.handle(query, pending);
      res.cookie(
        REFRESH_COOKIE,
        result.sessionId,
        cookieOptions(this.http.baseUrl, PROVIDER_PATH, result.sessionSeconds),
      );
      if (pending.flow === 'redirect' && pending.redirectUrl) {
        res.redirect(302, pending.redirectUrl);
        return;
      }
      this.popup(res, pending, 200, { type: 'authorization_response', response: result.response });
    } catch (err) {
      if (pending.flow === 'redirect' || !(err instanceof PortalError)) throw err;
      // The popup learns about the failure through its opener, like Backstage's.
      this.http.logger?.info({ err: err.message }, 'OIDC sign-in refused');
      this.popup(res, pending, errorMapping[err.errorName].http, {
        type: 'authorization_response',
        error: { name: err.name, message: err.message },
      });
    }
  }

  @Get('refresh')
  async refreshGet(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const provider = this.provider();
    checkRequestedWith(req);
    res.setHeader('Cache-Control', 'no-store');
    return provider.refresh(cookie(req, REFRESH_COOKIE));
  }

  @Post('refresh')
  @HttpCode(200)
  async refreshPost(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const provider = this.provider();
    checkRequestedWith(req);
    res.setHeader('Cache-Control', 'no-store');
    return provider.refresh(cookie(req, REFRESH_COOKIE));
  }

  @Post('logout')
  @HttpCode(200)
  async logout(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, never>> {
    const provider = this.provider();
    checkRequestedWith(req);
    await provider.logout(cookie(req, REFRESH_COOKIE));
    res.clearCookie(REFRESH_COOKIE, cookieOptions(this.http.baseUrl, PROVIDER_PATH));
    res.setHeader('Cache-Control', 'no-store');
    return {};
  }

  private popup(res: Response, pending: PendingSignIn, status: number, message: unknown): void {
    res
      .status(status)
      .type('html')
      .setHeader('X-Frame-Options', 'sameorigin')
      .send(popupResponseHtml(pending.origin, message));
  }
}
