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
  // process.stdout rather than pino's default sonic-boom destination: on the demo query with the
  // access log on, sonic-boom's handling of each line cost more CPU than building and serializing
  // it. Writes to pipes and files are synchronous on Linux, so nothing is lost on exit.
  if (!destination) guardStdout();
  return pino(options, (destination ?? process.stdout) as pino.DestinationStream);
}

let stdoutGuarded = false;

/** A log reader that went away (EPIPE) or a full disk must not take the gateway down with an unhandled 'error'. */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', () => undefined);
}
