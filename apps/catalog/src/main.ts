import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';

await startService({
  pluginId: 'catalog',
  title: 'Software Catalog',
  version: '0.1.0',
  imports: [],
  grpc: {
    packages: ['portal.catalog.v1'],
    protoFiles: ['portal/catalog/v1/catalog.proto'],
    services: ['portal.catalog.v1.CatalogService'],
  },
  database: { migrations },
});
