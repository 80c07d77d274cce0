/**
 * The built `portal` executable, run as a process the way a CI pipeline runs it: output and exit
 * codes for valid and invalid descriptors, bad YAML, alias bombs, custom kinds from config, globs
 * that match nothing, and the repository's own examples.
 */
import { jest } from '@jest/globals';
import { ensureBuilt, repoRoot, runPortal } from './testing/built-cli.js';
import {
  ALIAS_BOMB,
  BAD_KIND_CONFIG,
  BAD_YAML,
  closedPort,
  GADGET_INVALID,
  GADGET_KINDS_FILE,
  GADGET_VALID,
  INVALID_FIELD,
  TempDir,
  VALID,
  WIDGET_CONFIG,
  WIDGET_INVALID,
  WIDGET_KINDS_FILE,
  WIDGET_VALID,
} from './testing/fixtures.js';

jest.setTimeout(120_000);

const ANSI = '\u001b[';

describe('portal (the built executable)', () => {
  const dir = new TempDir();
  // No app-config.yaml is found through PORTAL_ROOT: built-in kinds only, unless a test says otherwise.
  const run = (args: string[], env: Record<string, string> = {}) =>
    runPortal(args, dir.path, { PORTAL_ROOT: dir.path, ...env });

  beforeAll(() => {
    ensureBuilt();
    dir.write('valid.yaml', VALID);
    dir.write('invalid.yaml', INVALID_FIELD);
    dir.write('bad-yaml.yaml', BAD_YAML);
    dir.write('bomb.yaml', ALIAS_BOMB);
    dir.write('widgets/sprocket.yaml', WIDGET_VALID);
    dir.write('widgets/cog.yaml', WIDGET_INVALID);
    dir.write('config/widgets.yaml', WIDGET_CONFIG);
    dir.write('config/bad-kinds.yaml', BAD_KIND_CONFIG);
    dir.write('gadgets/blinker.yaml', GADGET_VALID);
    dir.write('gadgets/buzzer.yaml', GADGET_INVALID);
    dir.write('kinds/gadget.yaml', GADGET_KINDS_FILE);
    dir.write('kinds/widget.yaml', WIDGET_KINDS_FILE);
    dir.write('services/a/catalog-info.yaml', VALID.replace(/team-a/g, 'team-x').replace('web', 'a'));
    dir.write('services/b/catalog-info.yml', VALID.replace(/team-a/g, 'team-y').replace('web', 'b'));
  });
  afterAll(() => dir.remove());

  describe('help and usage errors', () => {
    it('prints the commands with --help and exits 0', () => {
      const result = run(['--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: portal <command>');
      expect(result.stdout).toContain('catalog validate <files|globs…>');
    });

    it('prints the options and exit codes of catalog validate with --help', () => {
      const result = run(['catalog', 'validate', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: portal catalog validate <files|globs…> [options]');
      expect(result.stdout).toContain('--config <file>');
      expect(result.stdout).toContain('--format <format>');
      expect(result.stdout).toContain('--kinds <file>');
      expect(result.stdout).toContain('--catalog-url <url>');
      expect(result.stdout).toContain('--token <token>');
      expect(result.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
    });

    it.each([
      [['deploy'], 'unknown command "deploy"', 'portal --help'],
      [['catalog', 'import'], 'unknown command "catalog import"', 'portal catalog --help'],
      [[], 'name a command', 'portal --help'],
      [['catalog', 'validate'], 'name the descriptor files', 'portal catalog validate --help'],
      [
        ['catalog', 'validate', '--colour', 'valid.yaml'],
        "Unknown option '--colour'",
        'portal catalog validate --help',
      ],
      [
        ['catalog', 'validate', '--format', 'xml', 'valid.yaml'],
        '--format must be "text" or "json"',
        'portal catalog validate --help',
      ],
      [
        ['catalog', 'validate', '--token', 'abc', 'valid.yaml'],
        '--token is only used with --catalog-url',
        'portal catalog validate --help',
      ],
      [
        ['catalog', 'validate', '--catalog-url', 'portal.example.com', 'valid.yaml'],
        '--catalog-url: "portal.example.com" is not a URL',
        'portal catalog validate --help',
      ],
      [
        ['catalog', 'validate', 'valid.yaml', '--kinds'],
        "Option '--kinds <value>' argument missing",
        'portal catalog validate --help',
      ],
    ])('exits 2 for %j, saying what is wrong', (args, message, help) => {
      const result = run(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`Run "${help}`);
    });

    it('exits 2 and names every pattern that matched nothing, validating nothing', () => {
      const result = run(['catalog', 'validate', 'valid.yaml', 'missing/**/*.yaml', 'nope.yaml']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('portal: no files match "missing/**/*.yaml"');
      expect(result.stderr).toContain('portal: no files match "nope.yaml"');
      expect(result.stderr).not.toContain('valid.yaml"');
    });
  });

  describe('validation', () => {
    it('reports a valid file with its entity count and exits 0', () => {
      const result = run(['catalog', 'validate', 'valid.yaml']);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('✔ valid.yaml (2 entities)\n1 file, 2 entities, 0 problems\n');
      expect(result.code).toBe(0);
    });

    it('names the document, entity, field and message of an invalid field and exits 1', () => {
      const result = run(['catalog', 'validate', 'invalid.yaml']);
      expect(result.stdout).toBe(
        '✖ invalid.yaml\n' +
          '  document #1 Component:default/checkout  spec.owner: must be string\n' +
          '1 file, 1 entity, 1 problem\n',
      );
      expect(result.code).toBe(1);
    });

    it('reports a YAML error in one document and still validates the others', () => {
      const result = run(['catalog', 'validate', 'bad-yaml.yaml']);
      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('✖ bad-yaml.yaml');
      expect(lines[1]).toMatch(/^ {2}document #2 {2}YAML error: .* at line \d+, column \d+$/);
      expect(lines[2]).toBe('1 file, 2 entities, 1 problem');
    });

    it('refuses an alias bomb quickly instead of expanding it', () => {
      const started = Date.now();
      const result = run(['catalog', 'validate', 'bomb.yaml']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('✖ bomb.yaml\n  document #1  YAML error: Excessive alias count');
      expect(result.stdout).toContain('1 file, 0 entities, 1 problem');
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('expands globs and directories, sorted, each file once, and sums up every file', () => {
      const result = run([
        'catalog',
        'validate',
        'services/**/catalog-info.{yaml,yml}',
        'services',
        'invalid.yaml',
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toEqual([
        '✔ services/a/catalog-info.yaml (2 entities)',
        '✔ services/b/catalog-info.yml (2 entities)',
        '✖ invalid.yaml',
        '  document #1 Component:default/checkout  spec.owner: must be string',
        '3 files, 5 entities, 1 problem',
        '',
      ]);
    });

    it('lists only the files with problems with --quiet', () => {
      const result = run(['catalog', 'validate', '--quiet', 'valid.yaml', 'invalid.yaml']);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('valid.yaml (2 entities)');
      expect(result.stdout).toContain('✖ invalid.yaml');
      expect(result.stdout).toContain('2 files, 3 entities, 1 problem');
    });

    it('reports an entity defined in two files', () => {
      dir.write('dup/one.yaml', VALID);
      dir.write('dup/two.yaml', VALID.replace('name: team-a', 'name: Team-A'));
      const result = run(['catalog', 'validate', 'dup']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        '✖ dup/two.yaml\n  document #1 Group:default/Team-A  metadata.name: the same entity is already defined in dup/one.yaml document #1\n',
      );
    });
  });

  describe('custom kinds from config', () => {
    it('does not know a custom kind without the config', () => {
      const result = run(['catalog', 'validate', 'widgets/sprocket.yaml']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('document #1 Widget:default/sprocket  kind: unknown kind "Widget"');
    });

    it('accepts a valid entity of a kind defined under catalog.kinds', () => {
      const result = run(['catalog', 'validate', 'widgets/sprocket.yaml', '--config', 'config/widgets.yaml']);
      expect(result.stdout).toBe('✔ widgets/sprocket.yaml (1 entity)\n1 file, 1 entity, 0 problems\n');
      expect(result.code).toBe(0);
    });

    it('reports an entity that breaks its custom kind schema', () => {
      const result = run(['catalog', 'validate', 'widgets', '--config=config/widgets.yaml']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(
        '✖ widgets/cog.yaml\n' +
          '  document #1 Widget:default/cog  spec.size: must be integer\n' +
          '✔ widgets/sprocket.yaml (1 entity)\n' +
          '2 files, 2 entities, 1 problem\n',
      );
    });

    it('reads app-config.yaml from the nearest folder up when no --config is given', () => {
      const project = new TempDir();
      try {
        project.write('app-config.yaml', WIDGET_CONFIG);
        project.write('deep/down/sprocket.yaml', WIDGET_VALID);
        const result = runPortal(
          ['catalog', 'validate', 'sprocket.yaml', '--format', 'json'],
          `${project.path}/deep/down`,
        );
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout).configFiles).toEqual([`${project.path}/app-config.yaml`]);
      } finally {
        project.remove();
      }
    });

    it('exits 2 for a bad kind definition, naming its config key', () => {
      const result = run(['catalog', 'validate', 'valid.yaml', '--config', 'config/bad-kinds.yaml']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('catalog.kinds[1].relations[0].field: must match pattern');
    });

    it('exits 2 for a config file that does not exist', () => {
      const result = run(['catalog', 'validate', 'valid.yaml', '--config', 'config/none.yaml']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Config file .*config\/none\.yaml does not exist/);
    });
  });

  describe('custom kinds from kind files', () => {
    it('validates entities of a kind defined in a --kinds file, naming each problem', () => {
      const result = run(['catalog', 'validate', 'gadgets', '--kinds', 'kinds/gadget.yaml']);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(
        '✔ gadgets/blinker.yaml (1 entity)\n' +
          '✖ gadgets/buzzer.yaml\n' +
          '  document #1 Gadget:default/buzzer  spec.colour: must be one of "red", "blue"\n' +
          '2 files, 2 entities, 1 problem\n',
      );
      expect(result.code).toBe(1);
    });

    it('takes a kind from the configuration before a kind file, and says what it left out', () => {
      const result = run([
        'catalog',
        'validate',
        'widgets/sprocket.yaml',
        'gadgets/blinker.yaml',
        '--config',
        'config/widgets.yaml',
        '--kinds=kinds/widget.yaml',
        '--kinds=kinds/gadget.yaml',
        '--format=json',
      ]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        'portal: note: kind "Widget" of kinds/widget.yaml document #1 is left out: catalog.kinds[0] defines it\n',
      );
      expect(JSON.parse(result.stdout)).toMatchObject({
        valid: true,
        customKinds: [
          { kind: 'Widget', source: 'catalog.kinds[0]' },
          { kind: 'Gadget', source: 'kinds/gadget.yaml document #1' },
        ],
      });
    });

    it('exits 2 for a kind file that cannot be read or holds a bad definition, naming file and key', () => {
      const missing = run(['catalog', 'validate', 'valid.yaml', '--kinds', 'kinds/none.yaml']);
      expect(missing.code).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toBe(
        'portal: the kind files are not usable:\n  kinds/none.yaml: could not be read (ENOENT)\n',
      );
      dir.write(
        'kinds/bad.yaml',
        GADGET_KINDS_FILE.replace(
          'kind: Gadget',
          'kind: Gadget\nrelations: [{field: owner, type: x, inverse: y}]',
        ),
      );
      const bad = run(['catalog', 'validate', 'valid.yaml', '--kinds', 'kinds/bad.yaml']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(
        /^portal: the custom kind definitions are not usable:\n {2}kinds\/bad\.yaml document #1: relations\[0\]\.field: must match pattern/,
      );
    });
  });

  describe('custom kinds from a running catalog', () => {
    it('exits 2 when the catalog cannot be reached, naming the URL and why', async () => {
      const port = await closedPort();
      const result = run(['catalog', 'validate', 'valid.yaml', '--catalog-url', `http://127.0.0.1:${port}`]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `portal: cannot read the kinds of the catalog at http://127.0.0.1:${port}/api/catalog/kinds: connection refused (ECONNREFUSED)\n`,
      );
    });
  });

  describe('output formats', () => {
    it('prints a machine-readable report with --format json', () => {
      const result = run(['catalog', 'validate', 'valid.yaml', 'invalid.yaml', '--format', 'json']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({
        valid: false,
        summary: { files: 2, entities: 3, problems: 1 },
        configFiles: [],
        customKinds: [],
        files: [
          { path: 'valid.yaml', valid: true, entities: 2, problems: [] },
          {
            path: 'invalid.yaml',
            valid: false,
            entities: 1,
            problems: [
              {
                document: 1,
                entityRef: 'Component:default/checkout',
                path: 'spec.owner',
                message: 'must be string',
              },
            ],
          },
        ],
      });
    });

    it('colours only when asked outside a terminal, and never with NO_COLOR', () => {
      expect(run(['catalog', 'validate', 'valid.yaml']).stdout).not.toContain(ANSI);
      const forced = run(['catalog', 'validate', 'valid.yaml', 'invalid.yaml'], { FORCE_COLOR: '1' });
      expect(forced.stdout).toContain('\u001b[32m✔\u001b[39m valid.yaml');
      expect(forced.stdout).toContain('\u001b[31m✖\u001b[39m invalid.yaml');
      const refused = run(['catalog', 'validate', 'valid.yaml'], { FORCE_COLOR: '1', NO_COLOR: '1' });
      expect(refused.stdout).not.toContain(ANSI);
    });
  });

  it("passes over the repository's examples/**/*.yaml", () => {
    const result = runPortal(['catalog', 'validate', 'examples/**/*.yaml'], repoRoot);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = result.stdout.trim().split('\n').at(-1);
    expect(summary).toMatch(/^\d+ files, \d+ entities, 0 problems$/);
    expect(Number(summary?.split(' ')[0])).toBeGreaterThanOrEqual(5);
    expect(result.stdout).toContain('✔ examples/all.yaml (1 entity)');
  });
});
