// The two shapes of a validation report: lines for people and CI logs, JSON for machines.
import type { Palette } from '../output/colours.js';
import type { CustomKindOrigin } from './kinds/kind-source.js';
import type { FileProblem, FileReport } from './validate-files.js';

export interface ValidationSummary {
  files: number;
  entities: number;
  problems: number;
}

export function summarise(reports: FileReport[]): ValidationSummary {
  return {
    files: reports.length,
    entities: reports.reduce((sum, report) => sum + report.entities, 0),
    problems: reports.reduce((sum, report) => sum + report.problems.length, 0),
  };
}

/** `3 files`, `1 entity`. */
export function count(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `  document #2 Component:default/web  spec.owner: must be string` */
function problemLine(problem: FileProblem, colours: Palette): string {
  const where = [
    problem.document === undefined ? undefined : `document #${problem.document}`,
    problem.entityRef,
  ].filter((part) => part !== undefined);
  const what = problem.path === undefined ? problem.message : `${problem.path}: ${problem.message}`;
  return where.length > 0 ? `  ${colours.dim(where.join(' '))}  ${what}` : `  ${what}`;
}

export interface TextReportOptions {
  /** Leave out the files without problems. */
  quiet?: boolean;
}

/** One line per valid file, a block per invalid one, then the summary line; ends with a newline. */
export function formatTextReport(
  reports: FileReport[],
  colours: Palette,
  options: TextReportOptions = {},
): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.problems.length === 0) {
      if (!options.quiet) {
        lines.push(
          `${colours.success('✔')} ${report.path} ${colours.dim(`(${count(report.entities, 'entity', 'entities')})`)}`,
        );
      }
      continue;
    }
    lines.push(`${colours.failure('✖')} ${report.path}`);
    for (const problem of report.problems) lines.push(problemLine(problem, colours));
  }
  const summary = summarise(reports);
  const text = [
    count(summary.files, 'file', 'files'),
    count(summary.entities, 'entity', 'entities'),
    count(summary.problems, 'problem', 'problems'),
  ].join(', ');
  lines.push(summary.problems === 0 ? colours.success(text) : colours.failure(text));
  return `${lines.join('\n')}\n`;
}

/** The JSON report (`--format json`). */
export interface JsonReport {
  valid: boolean;
  summary: ValidationSummary;
  /** The config files the custom kinds were read from, in merge order. */
  configFiles: string[];
  /** The kinds URL of the catalog asked (`--catalog-url`), if one was. */
  catalogUrl?: string;
  /** Every custom kind validated against, and where its definition came from. */
  customKinds: CustomKindOrigin[];
  files: Array<{ path: string; valid: boolean; entities: number; problems: FileProblem[] }>;
}

/** Where the kinds of a JSON report came from. */
export interface KindOrigins {
  configFiles: string[];
  catalogUrl?: string;
  customKinds: CustomKindOrigin[];
}

export function formatJsonReport(reports: FileReport[], origins: KindOrigins): string {
  const summary = summarise(reports);
  const report: JsonReport = {
    valid: summary.problems === 0,
    summary,
    configFiles: origins.configFiles,
    ...(origins.catalogUrl ? { catalogUrl: origins.catalogUrl } : {}),
    customKinds: origins.customKinds,
    files: reports.map((file) => ({
      path: file.path,
      valid: file.problems.length === 0,
      entities: file.entities,
      problems: file.problems,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
