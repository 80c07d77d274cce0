import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';

await startService({
  pluginId: 'search',
  title: 'Search',
  version: '0.1.0',
  imports: [],
  grpc: {
    packages: ['portal.search.v1'],
    protoFiles: ['portal/search/v1/search.proto'],
    services: ['portal.search.v1.SearchService'],
  },
  database: { migrations },
});
