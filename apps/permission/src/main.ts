import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';
import { permissionConfigSchema } from './permission-config-schema.js';
import { PermissionModule } from './permission.module.js';

await startService({
  pluginId: 'permission',
  title: 'Permissions',
  version: '0.1.0',
  imports: [PermissionModule],
  grpc: {
    packages: ['portal.permission.v1'],
    protoFiles: ['portal/permission/v1/permission.proto'],
    services: ['portal.permission.v1.PermissionService'],
  },
  database: { migrations },
  configSchema: permissionConfigSchema,
});
