// `portal catalog validate <files|globs…>`: the command line around expandPatterns, loadKinds and
// validateDescriptorFiles.
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, type CliContext } from '../context.js';
import { palette, useColour } from '../output/colours.js';
import { expandPatterns } from './expand-patterns.js';
import { formatJsonReport, formatTextReport, summarise } from './format-report.js';
import { kindsUrlOf } from './kinds/catalog-kinds-client.js';
import { CatalogUnreachableError, ConfigurationError, KINDS_KEY, loadKinds } from './load-kinds.js';
import { validateDescriptorFiles } from './validate-files.js';

const COMMAND = 'portal catalog validate';

export const VALIDATE_HELP = `Usage: ${COMMAND} <files|globs…> [options]

Checks catalog descriptor files (catalog-info.yaml: multi-document YAML, one entity per document)
the way the catalog checks them on ingestion: YAML, the entity envelope, names, refs and the spec
of every built-in kind and of the custom kinds (configured under ${KINDS_KEY}, in kind files, or
registered in a running catalog), with the same code as the catalog. An entity defined twice is a
problem too.

Arguments:
  files|globs          Files, directories (every *.yaml and *.yml below them) or glob patterns.
                       Quote patterns so the shell leaves them alone: 'services/**/catalog-info.yaml'.
                       Patterns do not descend into node_modules or .git.

Options:
  --config <file>      Config file to read ${KINDS_KEY} from; repeatable, later files override
                       earlier ones. Default: app-config.yaml (and app-config.local.yaml) in
                       PORTAL_ROOT or the nearest folder from here up that has one, if any.
  --kinds <file>       Kind definition file (YAML or JSON), for offline CI; repeatable. Each
                       document is a kind definition shaped like the body of
                       PUT /api/catalog/kinds/{kind} (with its kind), or a saved answer of
                       GET /api/catalog/kinds.
  --catalog-url <url>  Base URL of a running portal (its gateway, e.g. https://portal.example.com):
                       its custom kinds are read from GET <url>/api/catalog/kinds.
  --token <token>      Bearer token for --catalog-url; default: the PORTAL_TOKEN variable.
  --format <format>    text (default) or json
  --quiet              List only the files with problems, and the summary
  -h, --help           Show this help

A kind defined in several places is taken from the first: the configuration (as in the catalog,
where ${KINDS_KEY} wins over a runtime kind), then the kind files, then the catalog; a different
definition left out is noted on stderr.

Output (text): "✔ <file> (N entities)" for a valid file; "✖ <file>" followed by one line per problem,
"  document #<n> <kind>:<namespace>/<name>  <field>: <message>", documents counted from 1; then
"N files, M entities, K problems".

Exit codes:
  0  every entity is valid
  1  at least one problem
  2  usage or configuration error: unknown option, a pattern that matches no file, a config or kind
     file that cannot be read, a bad kind definition, a catalog that cannot be reached or refuses
     (the message names the URL and why)

Environment: PORTAL_TOKEN is the token for --catalog-url; NO_COLOR turns colours off; FORCE_COLOR
turns them on outside a terminal.
`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', multiple: true },
        kinds: { type: 'string', multiple: true },
        'catalog-url': { type: 'string' },
        token: { type: 'string' },
        format: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, COMMAND);
  }
}

/** `--catalog-url` and its token, checked; undefined without `--catalog-url`. */
function catalogOption(
  values: { 'catalog-url'?: string; token?: string },
  env: NodeJS.ProcessEnv,
): { baseUrl: string; token?: string } | undefined {
  const baseUrl = values['catalog-url'];
  if (baseUrl === undefined) {
    if (values.token !== undefined) throw new UsageError('--token is only used with --catalog-url', COMMAND);
    return undefined;
  }
  try {
    kindsUrlOf(baseUrl);
  } catch (error) {
    throw new UsageError(`--catalog-url: ${(error as Error).message}`, COMMAND);
  }
  const token = values.token ?? env.PORTAL_TOKEN;
  return { baseUrl, ...(token ? { token } : {}) };
}

async function load(options: Parameters<typeof loadKinds>[0], context: CliContext) {
  try {
    return await loadKinds(options);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      context.stderr(`portal: ${error.heading}:\n${error.details.map((d) => `  ${d}`).join('\n')}\n`);
      return undefined;
    }
    if (error instanceof CatalogUnreachableError) {
      context.stderr(`portal: ${error.message}\n`);
      return undefined;
    }
    throw error;
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
  const catalog = catalogOption(values, context.env);
  if (positionals.length === 0) {
    throw new UsageError('name the descriptor files, directories or glob patterns to validate', COMMAND);
  }
  const { files, unmatched } = expandPatterns(positionals, context.cwd);
  if (unmatched.length > 0) {
    throw new UsageError(unmatched.map((pattern) => `no files match "${pattern}"`).join('\n'), COMMAND);
  }
  const loaded = await load(
    {
      configPaths: values.config ?? [],
      kindsFiles: values.kinds ?? [],
      ...(catalog ? { catalog } : {}),
      cwd: context.cwd,
      env: context.env,
    },
    context,
  );
  if (!loaded) return EXIT_USAGE;
  for (const note of loaded.notes) context.stderr(`portal: note: ${note}\n`);
  const reports = validateDescriptorFiles(files, loaded.kinds);
  if (format === 'json') context.stdout(formatJsonReport(reports, loaded));
  else {
    const colours = palette(useColour(context.env, context.isTTY));
    context.stdout(formatTextReport(reports, colours, { quiet: values.quiet }));
  }
  return summarise(reports).problems === 0 ? EXIT_OK : EXIT_PROBLEMS;
}
