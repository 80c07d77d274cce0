import { readFileSync } from 'node:fs';
import { runCli } from './cli.js';
import type { CliContext } from './context.js';

function context(): CliContext & { out: string; err: string } {
  const ctx = {
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    out: '',
    err: '',
    stdout: (text: string) => void (ctx.out += text),
    stderr: (text: string) => void (ctx.err += text),
  };
  return ctx;
}

describe('runCli', () => {
  it('prints the version of the package', async () => {
    const ctx = context();
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runCli(['--version'], ctx)).toBe(0);
    expect(ctx.out).toBe(`${pkg.version}\n`);
  });

  it.each([['--help'], ['-h'], ['help']])('prints the help for %s', async (flag) => {
    const ctx = context();
    expect(await runCli([flag], ctx)).toBe(0);
    expect(ctx.out).toMatch(/^Usage: portal <command>/);
  });

  it('prints the catalog commands for catalog --help', async () => {
    const ctx = context();
    expect(await runCli(['catalog', '--help'], ctx)).toBe(0);
    expect(ctx.out).toContain('validate <files|globs…>');
  });

  it('prefixes each line of a usage error and points at the help', async () => {
    const ctx = context();
    expect(await runCli(['catalog', 'validate', 'a-missing-file.yaml', 'another.yaml'], ctx)).toBe(2);
    expect(ctx.err).toBe(
      'portal: no files match "a-missing-file.yaml"\n' +
        'portal: no files match "another.yaml"\n' +
        'Run "portal catalog validate --help" for usage.\n',
    );
    expect(ctx.out).toBe('');
  });
});
