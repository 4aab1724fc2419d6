import { writeSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { CLOSE_OBJECT, fragment, JsonBytes } from './json-bytes.js';
import { madeLoggerOf } from './logger.js';

/**
 * Writes info lines of one module with one message, in the root logger's format (level, time,
 * bindings, members, msg), for the access log's line per request. `begin()` writes the line's start and
 * returns the buffer to append its members to, each as `,"name":value` (see JsonBytes), or undefined
 * when info lines are off; `end()` closes the line. A line begun and never ended (a writer that threw)
 * is dropped by the next `begin()` or flush. Members are not redacted: the caller writes known, safe
 * fields only.
 */
export interface LineWriter {
  begin(): JsonBytes | undefined;
  end(): void;
}

/** Where per-request lines (access log, field records) go. */
export interface RequestLog {
  readonly logger: Logger;
  /** A writer of the info lines of `module` with message `msg`: the same output as `logger.child({ module }).info(fields, msg)`. */
  lines(module: string, msg: string): LineWriter;
  /** Writes what is buffered and stops the flush timer. */
  close(): void;
}

// Per-request lines are written in blocks of about this many bytes: Envoy's access log flush size.
// At a thousand requests a second that is a few dozen writes instead of a few hundred.
const BLOCK_BYTES = 64 * 1024;
// A line longer than this (a detailed field record) is written on its own, not copied into the block.
const LONG_LINE_CHARS = 16 * 1024;

/**
 * Lines held in one byte buffer and written to a file descriptor in blocks. Access lines are written
 * into it in place (JsonBytes); other lines (pino's field records) are encoded into it. Not sonic-boom's
 * own buffering (`minLength`): it appends each line to one growable string and measures that string's
 * byte length on every write, which flattens and copies it each time.
 */
export class LineBlock {
  readonly out = new JsonBytes(2 * BLOCK_BYTES);
  /** Where the line begun and not yet ended starts, or -1. */
  private open = -1;

  constructor(private readonly fd: number) {}

  /** Starts a line (dropping one begun and never ended): append its members to the returned buffer. */
  begin(line: LineParts): JsonBytes {
    this.drop();
    this.open = this.out.length;
    line.start(this.out);
    return this.out;
  }

  /** Ends the line begun last; a block of 64 KiB or more is written. */
  end(line: LineParts): void {
    if (this.open < 0) return;
    this.out.raw(line.end);
    this.open = -1;
    if (this.out.length >= BLOCK_BYTES) this.flush();
  }

  /** pino's destination interface, for the other lines of the request log. */
  write(line: string): boolean {
    this.drop();
    if (line.length > LONG_LINE_CHARS) {
      this.flush();
      writeAll(this.fd, Buffer.from(line, 'utf8'));
      return true;
    }
    this.out.text(line);
    if (this.out.length >= BLOCK_BYTES) this.flush();
    return true;
  }

  flush(): void {
    this.drop();
    if (this.out.length === 0) return;
    writeAll(this.fd, this.out.bytes.subarray(0, this.out.length));
    this.out.length = 0;
  }

  /** Forgets a line begun and never ended (its writer threw). */
  private drop(): void {
    if (this.open < 0) return;
    this.out.length = this.open;
    this.open = -1;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocking writes of a whole block, as pino's synchronous destination writes a line. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  let waits = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      // A full non-blocking stdout: wait for its reader, as sonic-boom does, for at most ten seconds.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN' && waits++ < 1000) {
        Atomics.wait(sleeper, 0, 0, 10);
        continue;
      }
      // A reader that went away (EPIPE): the gateway goes on without its log.
      return;
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
  const made = madeLoggerOf(root);
  if (!made) return { logger: root, lines: (module, msg) => pinoLines(root, module, msg), close: () => {} };
  if (made.stream || flushIntervalMs <= 0) {
    const target = made.stream ?? made.stdout!;
    return { logger: root, lines: (module, msg) => lineByLine(root, module, msg, (line) => target.write(line)), close: () => {} };
  }
  // Blocks go to the root logger's blocking stdout, between its other lines (both write synchronously).
  const block = new LineBlock((made.stdout as { fd?: number }).fd ?? 1);
  const flush = () => block.flush();
  const timer = setInterval(flush, flushIntervalMs);
  timer.unref();
  process.on('exit', flush);
  const logger = pino({ ...made.options, level: root.level }, block);
  return {
    logger,
    lines(module, msg) {
      const line = lineParts(logger, module, msg);
      return { begin: () => (logger.isLevelEnabled('info') ? block.begin(line) : undefined), end: () => block.end(line) };
    },
    close() {
      clearInterval(timer);
      process.off('exit', flush);
      flush();
    },
  };
}

/** The fixed parts of a module's info line: `{"level":"info","time":"` ... `",<bindings>` and `,"msg":...}\n`. */
export interface LineParts {
  start(out: JsonBytes): void;
  readonly end: Buffer;
}

export function lineParts(logger: Logger, module: string, msg: string): LineParts {
  const bindings = fragment(`",${JSON.stringify({ ...logger.bindings(), module }).slice(1, -1)}`);
  const end = fragment(`,"msg":${JSON.stringify(msg)}}\n`);
  return {
    end,
    start(out: JsonBytes) {
      out.raw(LEVEL_INFO);
      writeTime(out, Date.now());
      out.raw(bindings);
    },
  };
}

const LEVEL_INFO = fragment('{"level":"info","time":"');

/** A line writer that hands each finished line to `write` as a string (a test's stream, unbuffered stdout). */
function lineByLine(logger: Logger, module: string, msg: string, write: (line: string) => void): LineWriter {
  const line = lineParts(logger, module, msg);
  return scratchLines(() => logger.isLevelEnabled('info'), line.start, (out) => {
    out.raw(line.end);
    write(out.toString());
  });
}

/** For a logger made elsewhere: the members are parsed back and logged through pino. */
function pinoLines(logger: Logger, module: string, msg: string): LineWriter {
  const child = logger.child({ module }, { redact: { paths: [] } });
  return scratchLines(() => true, (out) => out.text('{"":0'), (out) => {
    out.byte(CLOSE_OBJECT);
    const { '': _, ...fields } = JSON.parse(out.toString()) as Record<string, unknown>;
    child.info(fields, msg);
  });
}

/** A writer over one reused buffer, each line begun by `start` and handed on by `finish` once ended. */
function scratchLines(enabled: () => boolean, start: (out: JsonBytes) => void, finish: (out: JsonBytes) => void): LineWriter {
  const out = new JsonBytes(4096);
  let open = false;
  return {
    begin() {
      if (!enabled()) return undefined;
      out.length = 0;
      open = true;
      start(out);
      return out;
    },
    end() {
      if (!open) return;
      open = false;
      finish(out);
    },
  };
}

// The time of a line as Date#toISOString writes it: all but the milliseconds formatted once per second
// (a busy gateway writes a line nearly every millisecond), the milliseconds and "Z" digit by digit.
let secondAt = Number.NaN;
let secondPrefix = fragment('');

/** Appends `now` (a Date.now() reading: whole milliseconds) as Date#toISOString writes it. */
export function writeTime(out: JsonBytes, now: number): void {
  const second = Math.floor(now / 1000);
  if (second !== secondAt) {
    secondAt = second;
    const iso = new Date(second * 1000).toISOString();
    // "…:38.000Z" -> "…:38."
    secondPrefix = fragment(iso.slice(0, -4));
  }
  out.raw(secondPrefix);
  out.padded(now - second * 1000, 3);
  out.byte(LETTER_Z);
}

const LETTER_Z = 0x5a;
