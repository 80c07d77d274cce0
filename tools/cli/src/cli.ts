// `portal <command>`: finds the command and turns usage errors into exit code 2.
import { readFileSync } from 'node:fs';
import { runValidate } from './catalog/validate-command.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliContext } from './context.js';

export const HELP = `Usage: portal <command> [options]

The portal's command line.

Commands:
  catalog validate <files|globs…>   Check catalog descriptor files (catalog-info.yaml), e.g. in CI

Options:
  -h, --help       Show this help
  -v, --version    Show the version

Run "portal <command> --help" for the options of a command.
`;

export const CATALOG_HELP = `Usage: portal catalog <command> [options]

Commands:
  validate <files|globs…>   Check catalog descriptor files (catalog-info.yaml)

Run "portal catalog <command> --help" for the options of a command.
`;

const isHelp = (arg: string | undefined): boolean => arg === '-h' || arg === '--help' || arg === 'help';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function runCatalog(args: string[], context: CliContext): Promise<number> {
  const [command, ...rest] = args;
  if (isHelp(command)) {
    context.stdout(CATALOG_HELP);
    return EXIT_OK;
  }
  if (command === 'validate') return runValidate(rest, context);
  if (command === undefined) throw new UsageError('name a catalog command', 'portal catalog');
  throw new UsageError(`unknown command "catalog ${command}"`, 'portal catalog');
}

async function dispatch(args: string[], context: CliContext): Promise<number> {
  const [command, ...rest] = args;
  if (isHelp(command)) {
    context.stdout(HELP);
    return EXIT_OK;
  }
  if (command === '-v' || command === '--version') {
    context.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  if (command === 'catalog') return runCatalog(rest, context);
  if (command === undefined) throw new UsageError('name a command');
  throw new UsageError(`unknown command "${command}"`);
}

/** Runs the command line `args` (without `node` and the script) and returns the exit code. */
export async function runCli(args: string[], context: CliContext): Promise<number> {
  try {
    return await dispatch(args, context);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const lines = error.message.split('\n').map((line) => `portal: ${line}`);
    context.stderr(`${lines.join('\n')}\nRun "${error.command} --help" for usage.\n`);
    return EXIT_USAGE;
  }
}
