import { Config } from './config.js';
import { platformConfigSchema } from './platform-schema.js';
import { validateConfig } from './validate-config.js';

describe('validateConfig', () => {
  it('accepts a valid configuration, with numbers given as strings by substitution', () => {
    const config = Config.fromObject({
      backend: {
        listen: { port: '7007' },
        database: { client: 'pg', connection: 'postgres://x', pool: { max: 5 } },
      },
      portal: { discovery: { secret: '0123456789abcdef', gatewayAddress: '127.0.0.1:7008' } },
    });
    expect(() => validateConfig(config, [platformConfigSchema])).not.toThrow();
    // Coercion is for checking only: what services read is unchanged.
    expect(config.getOptional('backend.listen.port')).toBe('7007');
  });

  it('names every bad key', () => {
    const config = Config.fromObject({
      backend: { listen: { port: 'seven', extra: true }, database: { client: 'mysql' } },
      portal: { discovery: { secret: 'short', gatewayAddress: 'no-port' } },
    });
    let message = '';
    try {
      validateConfig(config, [platformConfigSchema]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('backend.listen.port must be integer');
    expect(message).toContain('backend.listen.extra is not a known key');
    expect(message).toContain('backend.database.client must be one of "pg"');
    expect(message).toContain('portal.discovery.secret');
    expect(message).toContain('portal.discovery.gatewayAddress');
  });
});
