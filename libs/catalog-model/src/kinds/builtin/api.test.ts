import { expectParity, kindVariants } from '../../testing/entity-parity.js';
import { apiKind } from './api.js';

const base = { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0' };
const variants = kindVariants('API', base, ['type', 'lifecycle', 'owner', 'system', 'definition']);

describe('API', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('requires a definition also for the mcp-server type, as Backstage 1.10 catalog validation does', async () => {
    const mcp = {
      type: 'mcp-server',
      lifecycle: 'experimental',
      owner: 'team-a',
      remotes: [{ type: 'sse', url: 'x' }],
    };
    await expectParity([
      { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: { name: 'mcp' }, spec: mcp },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: 'mcp' },
        spec: { ...mcp, definition: 'd' },
      },
    ]);
  });

  it('relates to its owner and system', () => {
    expect(apiKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.owner:ownedBy/ownerOf:Group',
      'spec.system:partOf/hasPart:System',
    ]);
  });
});
