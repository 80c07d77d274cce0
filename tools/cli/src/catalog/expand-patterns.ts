// Turns the command line's files, directories and glob patterns into the list of files to read.
import { statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';

/** A file to read: the name to show (as the user spelled it, or relative to cwd) and its full path. */
export interface MatchedFile {
  display: string;
  absolute: string;
}

export interface ExpandedPatterns {
  /** Every matched file once, in the order of the patterns; each pattern's matches sorted. */
  files: MatchedFile[];
  /** The patterns that matched no file. */
  unmatched: string[];
}

/** What a directory argument stands for. */
export const DESCRIPTOR_EXTENSIONS = '**/*.{yaml,yml}';

/** Never descended into by a pattern (a literal path is still read). */
export const IGNORED = ['**/node_modules/**', '**/.git/**'];

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function glob(pattern: string, cwd: string): string[] {
  return globSync(pattern, {
    cwd,
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
    ignore: IGNORED,
  }).sort();
}

/** The files one argument names: itself, the descriptors below it, or the matches of a glob pattern. */
function filesOf(pattern: string, cwd: string): string[] {
  // An existing path is taken literally, even when it holds glob characters (`api(v2).yaml`).
  const literal = resolve(cwd, pattern);
  const stats = statOf(literal);
  if (stats?.isFile()) return [literal];
  if (stats?.isDirectory()) return glob(DESCRIPTOR_EXTENSIONS, literal);
  return glob(pattern, cwd);
}

/**
 * Expands files, directories (every `*.yaml` and `*.yml` below them) and glob patterns relative to
 * `cwd`. Files are shown relative to `cwd`, or absolute when their pattern was absolute.
 */
export function expandPatterns(patterns: string[], cwd: string): ExpandedPatterns {
  const seen = new Set<string>();
  const files: MatchedFile[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matches = filesOf(pattern, cwd);
    if (matches.length === 0) unmatched.push(pattern);
    for (const absolute of matches) {
      if (seen.has(absolute)) continue;
      seen.add(absolute);
      files.push({ display: isAbsolute(pattern) ? absolute : relative(cwd, absolute), absolute });
    }
  }
  return { files, unmatched };
}
