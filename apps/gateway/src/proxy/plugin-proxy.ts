import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware, proxyEventsPlugin } from 'http-proxy-middleware';
import {
  errorResponseBody,
  GatewayTimeoutError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  type Logger,
} from '@portal/platform';
import type { DiscoveryRegistry } from '../discovery/discovery-registry.js';
import type { Instance } from '../discovery/registry-store.js';
import { RESERVED_PLUGIN_IDS } from '../discovery/manifest-check.js';
import { isPublicUiAsset, pluginIdOf } from './plugin-route.js';

export interface PluginProxyOptions {
  registry: DiscoveryRegistry;
  logger: Logger;
  /** Checks the Authorization header at the edge; throws AuthenticationError when it is bad. */
  checkCredentials: (authorization: string | undefined, pluginId: string) => Promise<unknown>;
  /** An upstream that sends no response headers within this time gets a 504. */
  timeoutMs: number;
  maxBodyBytes: number;
}

interface ProxiedRequest extends IncomingMessage {
  portalInstance?: Instance;
  portalTimedOut?: boolean;
  portalTooLarge?: boolean;
  portalAttempts?: number;
}

// Requests without a body that may be sent again when the first connection failed.
const REPLAYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Connection failures that mean "nobody is listening there any more".
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function sendError(req: IncomingMessage, res: ServerResponse, err: Error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = errorResponseBody(err, { method: req.method ?? 'GET', url: req.url ?? '' });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The reverse proxy: `/api/<id>/*` and `/plugins/<id>/*` go to a live instance of the plugin (round
 * robin). Bodies and responses stream through unbuffered (SSE included). No live instance → 503 at
 * once; an unknown plugin → 404; an upstream that hangs → 504 after the timeout; a refused
 * connection skips the instance until it heartbeats again, and a request without a body is sent to
 * another instance instead (503 when there is none).
 */
export function createPluginProxy(options: PluginProxyOptions) {
  const { registry, logger } = options;
  const proxy = createProxyMiddleware({
    router: (req) => (req as ProxiedRequest).portalInstance!.httpAddress,
    changeOrigin: false,
    xfwd: true,
    ws: false,
    ejectPlugins: true,
    plugins: [proxyEventsPlugin],
    on: {
      proxyReq: (proxyReq: ClientRequest, req: IncomingMessage, res: ServerResponse) => {
        // The body is piped right after this event: counting here loses no chunk.
        if (req.headers['transfer-encoding']) limitStreamedBody(req, res, proxyReq, options.maxBodyBytes);
        proxyReq.setTimeout(options.timeoutMs, () => {
          (req as ProxiedRequest).portalTimedOut = true;
          proxyReq.destroy(new Error('upstream timeout'));
        });
      },
      proxyRes: (proxyRes: IncomingMessage, req: IncomingMessage) => {
        // Headers arrived: from here on the response may stream for as long as it likes (SSE).
        proxyRes.socket?.setTimeout(0);
        void req;
      },
      error: (err: Error, req: IncomingMessage, res: ServerResponse | import('node:net').Socket) => {
        const r = req as ProxiedRequest;
        const code = (err as NodeJS.ErrnoException).code ?? '';
        const instance = r.portalInstance;
        if (!('writeHead' in res) || r.portalTooLarge) return;
        if (r.portalTimedOut) {
          logger.warn(
            { pluginId: instance?.pluginId, instanceId: instance?.instanceId },
            'upstream timed out',
          );
          sendError(
            req,
            res,
            new GatewayTimeoutError(
              `Plugin '${instance?.pluginId}' did not answer within ${options.timeoutMs} ms`,
            ),
          );
          return;
        }
        if (instance && UNREACHABLE.has(code)) registry.markUnreachable(instance);
        // A dead instance (refused) or a stale keep-alive socket (reset) before any answer: a request
        // without a body goes to another instance, or the same one on a fresh connection.
        const attempts = r.portalAttempts ?? 1;
        if (
          instance &&
          !res.headersSent &&
          attempts < 3 &&
          REPLAYABLE_METHODS.has(req.method ?? '') &&
          (UNREACHABLE.has(code) || code === 'ECONNRESET')
        ) {
          const next = registry.pick(instance.pluginId);
          if (next) {
            logger.debug(
              { pluginId: instance.pluginId, from: instance.instanceId, to: next.instanceId, code },
              'retrying on another instance',
            );
            r.portalInstance = next;
            r.portalAttempts = attempts + 1;
            void proxy(req, res, () => undefined);
            return;
          }
        }
        logger.warn(
          { pluginId: instance?.pluginId, instanceId: instance?.instanceId, code },
          'upstream unreachable',
        );
        sendError(req, res, new ServiceUnavailableError(`Plugin '${instance?.pluginId}' is unavailable`));
      },
    },
  });

  return async (req: Request, res: Response, next: NextFunction) => {
    const pluginId = pluginIdOf(req.path);
    if (!pluginId || RESERVED_PLUGIN_IDS.has(pluginId)) {
      next();
      return;
    }
    try {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > options.maxBodyBytes) {
        throw new PayloadTooLargeError(`Request body is larger than ${options.maxBodyBytes} bytes`);
      }
      if (isPublicUiAsset(req.method, req.path)) {
        // Assets need no caller: a token sent anyway is neither checked nor forwarded.
        delete req.headers.authorization;
      } else {
        await options.checkCredentials(req.headers.authorization, pluginId);
      }
      const instance = registry.pick(pluginId);
      if (!instance) {
        throw registry.isKnown(pluginId)
          ? new ServiceUnavailableError(`Plugin '${pluginId}' has no live instance`)
          : new NotFoundError(`No plugin '${pluginId}' is installed`);
      }
      (req as unknown as ProxiedRequest).portalInstance = instance;
    } catch (err) {
      sendError(req, res, err as Error);
      return;
    }
    await proxy(req as unknown as IncomingMessage, res as unknown as ServerResponse, next);
  };
}

/** A chunked body has no length up front: count it as it streams and cut it off past the limit. */
function limitStreamedBody(req: IncomingMessage, res: ServerResponse, proxyReq: ClientRequest, max: number) {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max && !res.headersSent) {
      (req as ProxiedRequest).portalTooLarge = true;
      req.unpipe(proxyReq);
      proxyReq.destroy();
      sendError(req, res, new PayloadTooLargeError(`Request body is larger than ${max} bytes`));
    }
  });
}
