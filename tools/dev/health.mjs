// Readiness checks over HTTP, the way a load balancer would ask: the gateway's own readiness, and
// each plugin's readiness through the gateway (which answers 503 at once while a plugin has no
// live instance).
import net from 'node:net';

export const READINESS_PATH = '/.backstage/health/v1/readiness';

/** True when GET `url` answers 2xx within `timeoutMs`. */
export async function isReady(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok;
  } catch {
    return false;
  }
}

export function gatewayReadinessUrl(gatewayUrl) {
  return `${gatewayUrl}${READINESS_PATH}`;
}

export function pluginReadinessUrl(gatewayUrl, pluginId) {
  return `${gatewayUrl}/api/${pluginId}${READINESS_PATH}`;
}

/** True when nothing listens on host:port (so a service can bind it). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Waits `ms`, or less when `signal` aborts first. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
