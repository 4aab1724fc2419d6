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

// Loggers made here that write to stdout, with their options: a request log (below) copies them.
const stdoutLoggers = new WeakMap<Logger, LoggerOptions>();

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
  if (destination) return pino(options, destination as pino.DestinationStream);
  const logger = pino(options, pino.destination({ dest: 1, sync: true }));
  stdoutLoggers.set(logger, options);
  return logger;
}

/** Where per-request lines (access log, field records) go. */
export interface RequestLog {
  readonly logger: Logger;
  /** Writes what is buffered and stops the flush timer. */
  close(): void;
}

// Below sonic-boom's 16 KiB largest single write.
const BUFFER_BYTES = 8 * 1024;

/**
 * Per-request lines are many and nobody reads them within the second: like Envoy's and nginx's
 * buffered access logs, they are written in blocks of up to 8 KiB, and at least every
 * `flushIntervalMs`, instead of one write (and one wake-up of the log reader) per request. Other log
 * lines stay unbuffered. Lines written by a crash are flushed on exit; a SIGKILL loses at most one
 * interval. Applies to a root logger made by createLogger for stdout; any other logger (a test's
 * stream) is used as it is.
 */
export function createRequestLog(root: Logger, { flushIntervalMs }: { flushIntervalMs: number }): RequestLog {
  const options = stdoutLoggers.get(root);
  if (!options || flushIntervalMs <= 0) return { logger: root, close: () => {} };
  const destination = pino.destination({ dest: 1, sync: true, minLength: BUFFER_BYTES });
  // flush(), not flushSync(): the latter also fsyncs, blocking on the disk every interval when stdout
  // is a file. With a synchronous destination, flush() writes before it returns.
  const flush = () => {
    try {
      destination.flush();
    } catch {
      // A reader that went away: pino's destination already stopped writing.
    }
  };
  const timer = setInterval(flush, flushIntervalMs);
  timer.unref();
  process.on('exit', flush);
  return {
    logger: pino({ ...options, level: root.level }, destination),
    close() {
      clearInterval(timer);
      process.off('exit', flush);
      flush();
    },
  };
}
