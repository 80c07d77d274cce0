import { Controller, Get } from '@nestjs/common';
import { Unauthenticated } from '@portal/platform';
import { DiscoveryRegistry, type InstalledPlugin } from './discovery-registry.js';

/**
 * The installed plugins and their UI manifests, for the shell. Manifests hold no secrets and the
 * shell needs them before anyone signed in; instance addresses are not shown.
 */
@Controller('api/discovery')
@Unauthenticated()
export class DiscoveryController {
  constructor(private readonly registry: DiscoveryRegistry) {}

  @Get('plugins')
  plugins(): { plugins: InstalledPlugin[] } {
    return { plugins: this.registry.plugins() };
  }
}
