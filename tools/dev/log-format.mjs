// Turns the services' JSON log lines (pino) into one readable line each, for people at a terminal:
//
//   {"level":"info","time":"2026-11-22T09:15:02.117Z","service":"catalog","msg":"listening","port":41231}
//   09:15:02.117 INFO  listening port=41231
//
// Anything that is not a JSON object (a Node crash trace, a library printing to stderr) is passed
// through unchanged. Multi-line values (stack traces) follow on their own indented lines.

const ANSI = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  brightRed: [91, 39],
  brightGreen: [92, 39],
  brightYellow: [93, 39],
  brightBlue: [94, 39],
  brightMagenta: [95, 39],
  brightCyan: [96, 39],
};

/**
 * Whether to colour output written to `stream` (NO_COLOR and FORCE_COLOR win over the TTY test).
 * @param {{ isTTY?: boolean }} [stream]
 * @param {Record<string, string | undefined>} [env]
 */
export function colourEnabled(stream = process.stdout, env = process.env) {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY);
}

/** `paint('red', 'text')`, or the text unchanged when colour is off. */
export function createPainter(enabled) {
  return (style, text) => {
    const codes = enabled ? ANSI[style] : undefined;
    return codes ? `\x1b[${codes[0]}m${text}\x1b[${codes[1]}m` : text;
  };
}

const PINO_LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_STYLE = {
  trace: 'gray',
  debug: 'blue',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'brightMagenta',
};

/** Fields every line carries that the prefix or the layout already shows. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'message', 'service', 'pid', 'hostname', 'v']);

function levelName(level) {
  if (typeof level === 'number') return PINO_LEVELS[level] ?? String(level);
  if (typeof level === 'string') return level.toLowerCase();
  return undefined;
}

function pad2(n) {
  return String(n).padStart(2, '0');
}

/** HH:MM:SS.mmm in local time, or undefined when `time` is not a timestamp. */
export function formatTime(time) {
  if (typeof time !== 'string' && typeof time !== 'number') return undefined;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return undefined;
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${ms}`;
}

/** A field value on one line: bare when it is a simple word, JSON otherwise. */
export function formatValue(value) {
  if (typeof value === 'string') return /^[^\s"'=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * Splits the extra fields into inline `key=value` pairs and multi-line blocks (stack traces).
 * An error object (pino's `err`) shows as its stack when it has one.
 */
function splitFields(record) {
  const inline = [];
  const blocks = [];
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN_FIELDS.has(key) || value === undefined) continue;
    if (isPlainObject(value) && typeof value.stack === 'string') {
      const { stack, message: _message, type: _type, ...rest } = value;
      blocks.push(stack);
      if (Object.keys(rest).length > 0) inline.push([key, rest]);
    } else if (typeof value === 'string' && value.includes('\n')) {
      blocks.push(value);
    } else {
      inline.push([key, value]);
    }
  }
  return { inline, blocks };
}

/**
 * Formats one line of a service's output. Returns the line unchanged when it is not a JSON log
 * record; otherwise `time LEVEL msg key=value …`, followed by indented stack traces if any.
 */
export function formatLogLine(line, { colour = false } = {}) {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return line;
  let record;
  try {
    record = JSON.parse(trimmed);
  } catch {
    return line;
  }
  if (!isPlainObject(record) || (record.msg === undefined && record.level === undefined)) return line;

  const paint = createPainter(colour);
  const level = levelName(record.level);
  const parts = [];
  const time = formatTime(record.time);
  if (time) parts.push(paint('dim', time));
  if (level) parts.push(paint(LEVEL_STYLE[level] ?? 'bold', level.toUpperCase().padEnd(5)));
  const msg = record.msg ?? record.message;
  if (msg !== undefined && msg !== '') parts.push(typeof msg === 'string' ? msg : JSON.stringify(msg));

  const { inline, blocks } = splitFields(record);
  for (const [key, value] of inline) parts.push(`${paint('dim', `${key}=`)}${formatValue(value)}`);
  let out = parts.join(' ');
  for (const block of blocks)
    out += `\n${paint(level === 'error' || level === 'fatal' ? 'red' : 'dim', indent(block))}`;
  return out;
}

/**
 * Puts `tag` (a process name such as `catalog-1`) in front of every line of `text`, padded to
 * `width` so that the messages of all processes line up.
 */
export function prefixLines(text, tag, { width = tag.length, colour = false, style = 'bold' } = {}) {
  const paint = createPainter(colour);
  const label = paint(style, `[${tag}]`.padEnd(width + 2));
  return text
    .split('\n')
    .map((line) => `${label} ${line}`)
    .join('\n');
}
