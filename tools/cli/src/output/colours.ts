// ANSI colours for terminal output: on for a terminal, off for pipes and files, NO_COLOR honoured.

export interface Palette {
  success(text: string): string;
  failure(text: string): string;
  dim(text: string): string;
}

/**
 * Whether to colour output: never with NO_COLOR (any non-empty value, https://no-color.org), always
 * with FORCE_COLOR (unless `0` or `false`), otherwise only on a terminal that is not `dumb`.
 */
export function useColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const plain = (text: string): string => text;

export function palette(colour: boolean): Palette {
  if (!colour) return { success: plain, failure: plain, dim: plain };
  return { success: sgr(32, 39), failure: sgr(31, 39), dim: sgr(2, 22) };
}
