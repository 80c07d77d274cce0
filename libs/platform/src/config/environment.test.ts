import { InputError } from '../errors/errors.js';
import { Config, type JsonObject } from './config.js';
import { portalEnvironment } from './environment.js';

const config = (data: JsonObject) => Config.fromObject(data);

describe('portalEnvironment', () => {
  it('comes from portal.environment, else from NODE_ENV', () => {
    expect(
      portalEnvironment(config({ portal: { environment: 'production' } }), { NODE_ENV: 'development' }),
    ).toBe('production');
    expect(
      portalEnvironment(config({ portal: { environment: 'development' } }), { NODE_ENV: 'production' }),
    ).toBe('development');
    expect(portalEnvironment(config({}), { NODE_ENV: 'production' })).toBe('production');
    expect(portalEnvironment(config({}), { NODE_ENV: 'test' })).toBe('development');
    expect(portalEnvironment(config({}), {})).toBe('development');
    expect(() => portalEnvironment(config({ portal: { environment: 'staging' } }), {})).toThrow(InputError);
  });
});
