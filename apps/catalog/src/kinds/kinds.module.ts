import { Global, Module } from '@nestjs/common';
import { KindRegistry } from '@portal/catalog-model';
import { Config } from '@portal/platform';
import { kindRegistryFromConfig } from './kind-registry.provider.js';

/** One KindRegistry for the whole service: validation, processing and the kinds API share it. */
@Global()
@Module({
  providers: [{ provide: KindRegistry, inject: [Config], useFactory: kindRegistryFromConfig }],
  exports: [KindRegistry],
})
export class KindsModule {}
