import { startService } from '@portal/platform';
import { migrations } from './migrations/index.js';

await startService({
  pluginId: 'techdocs',
  title: 'TechDocs',
  version: '0.1.0',
  imports: [],
  grpc: {
    packages: ['portal.techdocs.v1'],
    protoFiles: ['portal/techdocs/v1/techdocs.proto'],
    services: ['portal.techdocs.v1.TechdocsService'],
  },
  database: { migrations },
});
