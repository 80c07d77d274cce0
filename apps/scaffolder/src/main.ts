import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';

await startService({
  pluginId: 'scaffolder',
  title: 'Software Templates',
  version: '0.1.0',
  imports: [],
  grpc: {
    packages: ['portal.scaffolder.v1'],
    protoFiles: ['portal/scaffolder/v1/scaffolder.proto'],
    services: ['portal.scaffolder.v1.ScaffolderService'],
  },
  database: { migrations },
});
