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

/** The one root logger; modules take `logger.child({ module })`. JSON lines, secrets redacted. */
export function createLogger({ level = 'info', destination }: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'junction' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
