/**
 * JSON text appended to one growable byte buffer. The access log writes its line here member by
 * member, straight into the block that goes to stdout: fragments that repeat (keys, an upstream
 * call's constant members, a coordinate's key) are encoded once and copied, numbers are written digit
 * by digit, and only text that may need escaping goes through JSON.stringify. Building the same line
 * from strings cost about 10 KB of garbage per request (cons strings, slices, joins, number strings).
 */
export class JsonBytes {
  bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Room for `n` more bytes (a line longer than what is left of the block grows it). */
  reserve(n: number): void {
    const needed = this.length + n;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** One ASCII byte (a bracket, a comma). */
  byte(code: number): void {
    this.reserve(1);
    this.bytes[this.length++] = code;
  }

  /** A fragment encoded once (see `fragment`). */
  raw(fragment: Uint8Array): void {
    const n = fragment.length;
    this.reserve(n);
    const { bytes } = this;
    const at = this.length;
    // Most fragments are a key or a few members: a loop copies them faster than TypedArray#set's call.
    if (n <= 64) for (let i = 0; i < n; i++) bytes[at + i] = fragment[i]!;
    else bytes.set(fragment, at);
    this.length = at + n;
  }

  /** Text that is JSON already (a serialized value, a whole line), encoded as UTF-8. */
  text(json: string): void {
    this.reserve(json.length * 3);
    this.length += this.bytes.write(json, this.length, 'utf8');
  }

  /**
   * A JSON string literal: copied between quotes, character by character, while every character is
   * printable ASCII other than `"` and `\`; as JSON.stringify writes it otherwise. (One loop checks
   * and copies: a regular expression test and Buffer#write cost a call each, for strings of a few
   * dozen characters.)
   */
  string(value: string): void {
    const n = value.length;
    if (n > 256) return this.text(JSON.stringify(value));
    this.reserve(n + 2);
    const { bytes } = this;
    const start = this.length;
    let at = start + 1;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      // Nothing is committed until the end: a fallback overwrites what the loop copied.
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return this.text(JSON.stringify(value));
      bytes[at++] = c;
    }
    bytes[start] = QUOTE;
    bytes[at++] = QUOTE;
    this.length = at;
  }

  /** `["a","b"]` */
  strings(values: readonly string[]): void {
    this.byte(OPEN_ARRAY);
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.byte(COMMA);
      this.string(values[i]!);
    }
    this.byte(CLOSE_ARRAY);
  }

  /** A number as JSON.stringify writes it; small non-negative integers digit by digit. */
  number(value: number): void {
    if (value >= 0 && value <= MAX_DIGITS && Number.isInteger(value)) this.digits(value);
    else this.text(JSON.stringify(value));
  }

  /**
   * Milliseconds rounded to the microsecond, exactly as JSON.stringify writes `Math.round(ms * 1000) / 1000`
   * (`41.05`, `0.003`, `12`), from integer parts: a double's shortest decimal takes several times longer.
   */
  ms(ms: number): void {
    // Most field timings of an access line are 0 (fields read from an answer are counted, not timed).
    if (ms === 0) return this.byte(ZERO);
    const us = Math.round(ms * 1000);
    if (!(us >= 0 && us <= MAX_DIGITS)) return this.text(JSON.stringify(us / 1000));
    const whole = (us / 1000) | 0;
    const fraction = us - whole * 1000;
    this.digits(whole);
    if (fraction === 0) return;
    this.reserve(4);
    const { bytes } = this;
    let at = this.length;
    // Three decimals without the trailing zeros: 50 -> ".05", 500 -> ".5", 5 -> ".005".
    const hundreds = (fraction / 100) | 0;
    const rest = fraction - hundreds * 100;
    const tens = (rest / 10) | 0;
    const ones = rest - tens * 10;
    bytes[at++] = DOT;
    bytes[at++] = ZERO + hundreds;
    if (rest !== 0) {
      bytes[at++] = ZERO + tens;
      if (ones !== 0) bytes[at++] = ZERO + ones;
    }
    this.length = at;
  }

  /** A non-negative integer below 10^width, with leading zeros to `width` digits (`7`, 3 -> `007`). */
  padded(n: number, width: number): void {
    this.reserve(width);
    const { bytes } = this;
    let at = this.length + width;
    this.length = at;
    for (let i = 0; i < width; i++) {
      const next = (n / 10) | 0;
      bytes[--at] = ZERO + (n - next * 10);
      n = next;
    }
  }

  /** A non-negative integer up to MAX_DIGITS (fits in 31 bits: `| 0` divides without a float floor). */
  private digits(n: number): void {
    let count = 1;
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) count++;
    this.padded(n, count);
  }

  toString(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }
}

/** Text encoded once, for `JsonBytes.raw`. */
export const fragment = (text: string): Buffer => Buffer.from(text, 'utf8');

const MAX_DIGITS = 0x3fffffff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const ZERO = 0x30;
export const COMMA = 0x2c;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
