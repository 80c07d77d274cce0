import type { DiscoveryClient, ServiceTokenIssuer } from '@portal/platform';

/** How the permission service reaches another plugin's HTTP routes as a service. */
export interface PluginHttp {
  /** `http://host:port` of a live instance of the plugin, or undefined. */
  baseUrl(pluginId: string): Promise<string | undefined>;
  /** A service token for the plugin, on behalf of the user when `onBehalfOf` (a user token) is given. */
  token(pluginId: string, onBehalfOf?: string): Promise<string>;
  /** Plugin ids with live instances. */
  plugins(): Promise<string[]>;
}

/** PluginHttp through discovery: instance addresses from the gateway's registry, platform service tokens. */
export function discoveryPluginHttp(discovery: DiscoveryClient, issuer: ServiceTokenIssuer): PluginHttp {
  return {
    async baseUrl(pluginId) {
      let url = discovery.resolveHttp(pluginId);
      if (!url) {
        await discovery.refresh(pluginId).catch(() => undefined);
        url = discovery.resolveHttp(pluginId);
      }
      return url;
    },
    token: (pluginId, onBehalfOf) => issuer.issue(pluginId, onBehalfOf ? { onBehalfOf } : {}),
    async plugins() {
      const instances = await discovery.refresh('');
      return [...new Set(instances.map((i) => i.pluginId))].sort();
    },
  };
}

/** fetch with a deadline. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
