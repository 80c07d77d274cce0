import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, PLATFORM, type Logger, type PlatformContext } from '@portal/platform';
import { AdminController } from './admin/admin.controller.js';
import { AuthorizeController } from './authorize/authorize.controller.js';
import { AuthorizeGrpcController } from './authorize/authorize.grpc.controller.js';
import { ExplainController } from './explain/explain.controller.js';
import { PermissionRuntime } from './permission-runtime.js';

/** The permission service: authorize (REST and gRPC), explain, and the policy admin API. */
@Module({
  controllers: [AuthorizeController, AuthorizeGrpcController, ExplainController, AdminController],
  providers: [
    {
      provide: PermissionRuntime,
      inject: [PLATFORM],
      useFactory: (context: PlatformContext) => new PermissionRuntime(context),
    },
  ],
})
export class PermissionModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PermissionRuntime) private readonly runtime: PermissionRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.runtime
      .start()
      .catch((err: unknown) => this.logger.error({ err }, 'permission policy failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
