import { pino } from 'pino';
import { stdoutLoggerOptions, type Logger } from './logger.js';

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
  const options = stdoutLoggerOptions(root);
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
