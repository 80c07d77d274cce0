import { Inject, Injectable } from '@nestjs/common';
import type { pluginV1 } from '@portal/proto';
import type { Principal } from '../auth/principal.js';
import { PLATFORM, type PlatformContext } from './platform-context.js';

export function describePrincipal(principal: Principal | undefined): string {
  if (!principal) return 'none';
  if (principal.type === 'user') return principal.userEntityRef;
  return principal.subject;
}

/** The answer of every plugin's GetInfo call: who answered, and whom it authenticated. */
@Injectable()
export class PluginInfo {
  constructor(@Inject(PLATFORM) private readonly platform: PlatformContext) {}

  get(caller: Principal | undefined): pluginV1.GetInfoResponse {
    return {
      pluginId: this.platform.pluginId,
      instanceId: this.platform.instanceId,
      version: this.platform.version,
      ready: this.platform.readiness.isReady(),
      caller: describePrincipal(caller),
    };
  }
}
