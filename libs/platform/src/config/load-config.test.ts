import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors/errors.js';
import {
  applyEnvOverrides,
  configFromEnv,
  configPathsFromArgv,
  loadConfig,
  mergeConfig,
  substituteString,
} from './load-config.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('substituteString', () => {
  it('replaces ${VAR}, keeps $${ as a literal and gives defaults with :-', () => {
    const env = { HOST: 'db.internal', PORT: '5432' };
    expect(substituteString('postgres://${HOST}:${PORT}/x', env)).toBe('postgres://db.internal:5432/x');
    expect(substituteString('literal $${HOST}', env)).toBe('literal ${HOST}');
    expect(substituteString('${MISSING:-fallback}', env)).toBe('fallback');
    expect(substituteString('${HOST:-fallback}', env)).toBe('db.internal');
  });

  it('makes a value that names an unset variable undefined, as Backstage does', () => {
    expect(substituteString('http://${NOPE}:7007', {})).toBeUndefined();
    expect(substituteString('${EMPTY}', { EMPTY: '' })).toBeUndefined();
  });
});

describe('configPathsFromArgv', () => {
  it('reads every --config, in both spellings and in order', () => {
    expect(configPathsFromArgv(['--config', 'a.yaml', 'x', '--config=b.yaml'])).toEqual(['a.yaml', 'b.yaml']);
    expect(() => configPathsFromArgv(['--config'])).toThrow(InputError);
  });
});

describe('mergeConfig', () => {
  it('merges objects deeply and replaces arrays and scalars', () => {
    expect(mergeConfig({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 2,
    });
  });
});

describe('APP_CONFIG_ overrides', () => {
  it('turn APP_CONFIG_a_b=json into a value at a.b', () => {
    const overrides = configFromEnv({
      APP_CONFIG_backend_listen_port: '7010',
      APP_CONFIG_app_title: 'My Portal',
      OTHER: 'x',
    });
    expect(applyEnvOverrides({ backend: { listen: { host: 'h' } } }, overrides)).toEqual({
      backend: { listen: { host: 'h', port: 7010 } },
      app: { title: 'My Portal' },
    });
  });

  it('replace what the files hold at their key, deeper overrides applying inside', () => {
    const files = { auth: { providers: { guest: {}, github: { clientId: 'x' } } } };
    expect(applyEnvOverrides(files, configFromEnv({ APP_CONFIG_auth_providers: '{}' }))).toEqual({
      auth: { providers: {} },
    });
    expect(
      applyEnvOverrides(
        files,
        configFromEnv({
          APP_CONFIG_auth_providers_oidc_clientId: '"c"',
          APP_CONFIG_auth_providers: '{"github":{}}',
        }),
      ),
    ).toEqual({ auth: { providers: { github: {}, oidc: { clientId: 'c' } } } });
  });
});

describe('loadConfig', () => {
  it('loads app-config.yaml then app-config.local.yaml, substituting the environment', () => {
    const dir = dirWith({
      'app-config.yaml':
        'backend:\n  baseUrl: http://${HOST}:7007\n  database:\n    connection: ${DATABASE_URL}\napp:\n  title: Base\n',
      'app-config.local.yaml': 'app:\n  title: Local\n',
    });
    const { config, files } = loadConfig({ rootDir: dir, argv: [], env: { HOST: 'portal.example' } });
    expect(files.map((f) => f.split('/').pop())).toEqual(['app-config.yaml', 'app-config.local.yaml']);
    expect(config.getString('backend.baseUrl')).toBe('http://portal.example:7007');
    expect(config.getString('app.title')).toBe('Local');
    // Unset variable: the key is absent.
    expect(config.has('backend.database.connection')).toBe(false);
  });

  it('with --config loads exactly those files, later ones winning', () => {
    const dir = dirWith({
      'app-config.yaml': 'app:\n  title: Ignored\n',
      'a.yaml': 'app:\n  title: A\n  baseUrl: http://a\n',
      'b.yaml': 'app:\n  title: B\n',
    });
    const { config } = loadConfig({
      rootDir: dir,
      argv: ['--config', 'a.yaml', '--config', 'b.yaml'],
      env: {},
    });
    expect(config.get()).toEqual({ app: { title: 'B', baseUrl: 'http://a' } });
  });

  it('supports $env and $file directives', () => {
    const dir = dirWith({
      'app-config.yaml': 'secret:\n  $file: ./secret.txt\ntoken:\n  $env: TOKEN\n',
      'secret.txt': 's3cret',
    });
    const { config } = loadConfig({ rootDir: dir, argv: [], env: { TOKEN: 'abc' } });
    expect(config.getString('secret')).toBe('s3cret');
    expect(config.getString('token')).toBe('abc');
  });

  it('names the file when it is missing or not YAML', () => {
    const dir = dirWith({ 'bad.yaml': 'a: [1, 2\n', 'list.yaml': '- 1\n' });
    expect(() => loadConfig({ rootDir: dir, argv: ['--config', 'nope.yaml'], env: {} })).toThrow(
      /nope\.yaml does not exist/,
    );
    expect(() => loadConfig({ rootDir: dir, argv: ['--config', 'bad.yaml'], env: {} })).toThrow(
      /bad\.yaml is not valid YAML/,
    );
    expect(() => loadConfig({ rootDir: dir, argv: ['--config', 'list.yaml'], env: {} })).toThrow(/mapping/);
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const dir = dirWith({ 'bomb.yaml': lines.join('\n') + '\n' });
    expect(() => loadConfig({ rootDir: dir, argv: ['--config', 'bomb.yaml'], env: {} })).toThrow(InputError);
  });
});
