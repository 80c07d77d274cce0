import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';

await startService({
  pluginId: 'permission',
  title: 'Permissions',
  version: '0.1.0',
  imports: [],
  grpc: {
    packages: ['portal.permission.v1'],
    protoFiles: ['portal/permission/v1/permission.proto'],
    services: ['portal.permission.v1.PermissionService'],
  },
  database: { migrations },
});
