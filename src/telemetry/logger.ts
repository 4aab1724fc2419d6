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
export interface MadeLogger {
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

/** How the logger was made (its options, its stream or stdout destination), for the request log; undefined for a logger made elsewhere. */
export function madeLoggerOf(logger: Logger): MadeLogger | undefined {
  return madeLoggers.get(logger);
}
