import { InputError } from '../errors/errors.js';
import { Config } from './config.js';

describe('Config', () => {
  const config = Config.fromObject({
    backend: { listen: { port: 7007, host: '0.0.0.0' }, flag: 'true', count: '12' },
    list: ['a', 'b'],
    items: [{ name: 'x' }],
  });

  it('reads typed values by dotted key, including strings from the environment', () => {
    expect(config.getNumber('backend.listen.port')).toBe(7007);
    expect(config.getOptionalNumber('backend.count')).toBe(12);
    expect(config.getOptionalBoolean('backend.flag')).toBe(true);
    expect(config.getOptionalStringArray('list')).toEqual(['a', 'b']);
    expect(config.getConfig('backend').getString('listen.host')).toBe('0.0.0.0');
    expect(config.getOptionalConfigArray('items')?.[0]?.getString('name')).toBe('x');
    expect(config.getOptionalString('nope.nothing')).toBeUndefined();
  });

  it('names the full key in errors', () => {
    expect(() => config.getString('backend.missing')).toThrow(
      "Missing required config value at 'backend.missing'",
    );
    expect(() => config.getConfig('backend').getString('listen.port')).toThrow(
      "Invalid type in config for key 'backend.listen.port', got number, wanted string",
    );
    expect(() => config.getNumber('backend.listen.host')).toThrow(InputError);
  });
});
