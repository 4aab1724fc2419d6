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

// Loggers made here that write to stdout, with their options: request logs (request-log.ts) copy them.
const stdoutLoggers = new WeakMap<Logger, LoggerOptions>();

/** The options of a root logger made by createLogger for stdout; undefined for any other logger. */
export function stdoutLoggerOptions(logger: Logger): LoggerOptions | undefined {
  return stdoutLoggers.get(logger);
}

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
