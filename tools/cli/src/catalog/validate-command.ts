// `portal catalog validate <files|globs…>`: the command line around expandPatterns, loadKinds and
// validateDescriptorFiles.
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliContext } from '../context.js';
import { palette, useColour } from '../output/colours.js';
import { expandPatterns } from './expand-patterns.js';
import { formatJsonReport, formatTextReport, summarise } from './format-report.js';
import { ConfigurationError, KINDS_KEY, loadKinds } from './load-kinds.js';
import { validateDescriptorFiles } from './validate-files.js';

const COMMAND = 'portal catalog validate';

export const VALIDATE_HELP = `Usage: ${COMMAND} <files|globs…> [options]

Checks catalog descriptor files (catalog-info.yaml: multi-document YAML, one entity per document)
the way the catalog checks them on ingestion: YAML, the entity envelope, names, refs and the spec
of every built-in kind and of the custom kinds configured under ${KINDS_KEY}. An entity defined
twice is a problem too.

Arguments:
  files|globs          Files, directories (every *.yaml and *.yml below them) or glob patterns.
                       Quote patterns so the shell leaves them alone: 'services/**/catalog-info.yaml'.
                       Patterns do not descend into node_modules or .git.

Options:
  --config <file>      Config file to read ${KINDS_KEY} from; repeatable, later files override
                       earlier ones. Default: app-config.yaml (and app-config.local.yaml) in
                       PORTAL_ROOT or the nearest folder from here up that has one, if any.
  --format <format>    text (default) or json
  --quiet              List only the files with problems, and the summary
  -h, --help           Show this help

Output (text): "✔ <file> (N entities)" for a valid file; "✖ <file>" followed by one line per problem,
"  document #<n> <kind>:<namespace>/<name>  <field>: <message>", documents counted from 1; then
"N files, M entities, K problems".

Exit codes:
  0  every entity is valid
  1  at least one problem
  2  usage or configuration error: unknown option, a pattern that matches no file, a config file
     that cannot be read, a bad kind definition under ${KINDS_KEY}

Environment: NO_COLOR turns colours off; FORCE_COLOR turns them on outside a terminal.
`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', multiple: true },
        format: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, COMMAND);
  }
}

export async function runValidate(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    context.stdout(VALIDATE_HELP);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be "text" or "json", not "${format}"`, COMMAND);
  }
  if (positionals.length === 0) {
    throw new UsageError('name the descriptor files, directories or glob patterns to validate', COMMAND);
  }
  const { files, unmatched } = expandPatterns(positionals, context.cwd);
  if (unmatched.length > 0) {
    throw new UsageError(unmatched.map((pattern) => `no files match "${pattern}"`).join('\n'), COMMAND);
  }
  let loaded: Awaited<ReturnType<typeof loadKinds>>;
  try {
    loaded = await loadKinds({ configPaths: values.config ?? [], cwd: context.cwd, env: context.env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    context.stderr(
      `portal: the configuration is not usable:\n${error.details.map((d) => `  ${d}`).join('\n')}\n`,
    );
    return EXIT_USAGE;
  }
  const reports = validateDescriptorFiles(files, loaded.kinds);
  if (format === 'json') context.stdout(formatJsonReport(reports, loaded.configFiles));
  else {
    const colours = palette(useColour(context.env, context.isTTY));
    context.stdout(formatTextReport(reports, colours, { quiet: values.quiet }));
  }
  return summarise(reports).problems === 0 ? EXIT_OK : EXIT_PROBLEMS;
}
