import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths that must never reach a log line, whatever a module passes in. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  '*.password', '*.client_secret', '*.refresh_token', '*.access_token', '*.token',
];

export interface CreateLoggerOptions {
  level?: LoggerOptions['level'];
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/** How a logger made here writes: its options (a request log copies them) and where its lines go. */
interface MadeLogger {
  readonly options: LoggerOptions;
  /** A test's stream; undefined for stdout. */
  readonly stream?: NodeJS.WritableStream;
  readonly stdout?: pino.DestinationStream;
}

const madeLoggers = new WeakMap<Logger, MadeLogger>();

/** The one root logger; modules take `logger.child({ module })`. JSON lines, secrets redacted. */
export function createLogger({ level = 'info', destination }: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'junction' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  // Synchronous writes to fd 1. pino's default destination writes asynchronously and buffers without
  // bound while a write is pending or retried: when the log reader lagged, the gateway's memory grew
  // with it (measured: peak RSS 440-684 MiB against 250), and each write cost a thread-pool round trip.
  // A blocking write makes a slow reader slow the gateway instead, as nginx's access log does. The fd
  // is named, not read from process.stdout, whose first use makes a piped stdout non-blocking.
  if (destination) {
    const logger = pino(options, destination as pino.DestinationStream);
    madeLoggers.set(logger, { options, stream: destination });
    return logger;
  }
  const stdout = pino.destination({ dest: 1, sync: true });
  const logger = pino(options, stdout);
  madeLoggers.set(logger, { options, stdout });
  return logger;
}

/**
 * Writes info lines of one module, in the root logger's format (level, time, bindings, fields, tail,
 * msg). For the access log, one line per request: `fields` must be plain JSON data (no cycles, no
 * BigInt; such a line falls back to pino), and is not redacted (the caller logs only known, safe
 * fields). `tail` is more members already serialized by the caller (`"a":1,"b":[]`), or ''.
 */
export type LineWriter = (fields: object, msg: string, tail?: string) => void;

/** Where per-request lines (access log, field records) go. */
export interface RequestLog {
  readonly logger: Logger;
  /** A writer for the lines of `module` (the access log): the same output as `logger.child({ module }).info`. */
  lines(module: string): LineWriter;
  /** Writes what is buffered and stops the flush timer. */
  close(): void;
}

// Per-request lines are written in blocks of about this many characters: Envoy's access log flush
// size. At a thousand requests a second that is a few dozen writes instead of a few hundred.
const BLOCK_CHARS = 64 * 1024;

/**
 * Lines held in memory and written to `target` in blocks. Not sonic-boom's own buffering
 * (`minLength`): it appends each line to one growing string and measures that string's byte length
 * on every write, which flattens and copies it each time (6 KB of garbage per access line, measured).
 */
class LineBuffer {
  private lines: string[] = [];
  private chars = 0;

  constructor(private readonly target: { write(data: string): unknown }) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BLOCK_CHARS) this.flush();
    return true;
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const block = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    try {
      this.target.write(block);
    } catch {
      // A reader that went away: the synchronous destination stops writing; the gateway goes on.
    }
  }
}

/**
 * Per-request lines are many and nobody reads them within the second: like Envoy's and nginx's
 * buffered access logs, they are written in blocks of about 64 KiB, and at least every
 * `flushIntervalMs`, instead of one write (and one wake-up of the log reader) per request. Other log
 * lines stay unbuffered. Lines written by a crash are flushed on exit; a SIGKILL loses at most one
 * interval. Buffered for a root logger made by createLogger for stdout; a test's stream gets each line
 * at once, in the same format.
 */
export function createRequestLog(root: Logger, { flushIntervalMs }: { flushIntervalMs: number }): RequestLog {
  const made = madeLoggers.get(root);
  if (!made) return { logger: root, lines: (module) => pinoLines(root, module), close: () => {} };
  if (made.stream || flushIntervalMs <= 0) {
    const target = made.stream ?? made.stdout!;
    return { logger: root, lines: (module) => jsonLines(root, module, (line) => target.write(line)), close: () => {} };
  }
  // Blocks go out through the root logger's blocking stdout destination, between its other lines.
  const buffer = new LineBuffer(made.stdout!);
  const flush = () => buffer.flush();
  const timer = setInterval(flush, flushIntervalMs);
  timer.unref();
  process.on('exit', flush);
  const logger = pino({ ...made.options, level: root.level }, buffer);
  return {
    logger,
    lines: (module) => jsonLines(logger, module, (line) => buffer.write(line)),
    close() {
      clearInterval(timer);
      process.off('exit', flush);
      flush();
    },
  };
}

function pinoLines(logger: Logger, module: string): LineWriter {
  const child = logger.child({ module }, { redact: { paths: [] } });
  return (fields, msg, tail) => child.info(tail ? { ...fields, ...(JSON.parse(`{${tail}}`) as object) } : fields, msg);
}

/**
 * pino serializes a line key by key, and nested values with safe-stable-stringify: for a 1.7 KB access
 * line that took about 10 µs and 11 KB of garbage per request. One native JSON.stringify of the
 * fields, and the tail the caller serialized, make the same line (createLogger's format: level label,
 * ISO time, bindings, fields, msg) in about half of that.
 */
function jsonLines(logger: Logger, module: string, write: (line: string) => void): LineWriter {
  const bindings = JSON.stringify({ ...logger.bindings(), module }).slice(1, -1);
  let fallback: LineWriter | undefined;
  return (fields, msg, tail) => {
    if (!logger.isLevelEnabled('info')) return;
    let body: string;
    try {
      body = JSON.stringify(fields);
    } catch {
      return (fallback ??= pinoLines(logger, module))(fields, msg, tail);
    }
    const rest = `${body.length > 2 ? `${body.slice(1, -1)},` : ''}${tail ? `${tail},` : ''}`;
    write(`{"level":"info","time":"${isoNow()}",${bindings},${rest}"msg":${JSON.stringify(msg)}}\n`);
  };
}

// The time of a line, formatted once per millisecond (a busy gateway writes several lines in one).
let isoAt = Number.NaN;
let iso = '';

function isoNow(): string {
  const now = Date.now();
  if (now !== isoAt) {
    isoAt = now;
    iso = new Date(now).toISOString();
  }
  return iso;
}
