export const REDACTED = '[redacted]';

export interface VariableRedactorOptions {
  /** Case-insensitive pattern of names whose values are replaced, at any depth. */
  pattern: string;
  /** Longest JSON kept; longer results are replaced by a truncation marker. */
  maxBytes: number;
}

export type VariableRedactor = (variables: unknown) => unknown;

const MAX_DEPTH = 8;
const MAX_ITEMS = 50;

/**
 * Copies GraphQL variables for a log line: values under a matching name (`password`, an input's
 * `apiKey`, ...) become "[redacted]", deep or long structures are cut. The original is never touched.
 */
export function createVariableRedactor({ pattern, maxBytes }: VariableRedactorOptions): VariableRedactor {
  const secret = new RegExp(pattern, 'i');
  const copy = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((item) => copy(item, depth + 1));
      if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = secret.test(key) ? REDACTED : copy(item, depth + 1);
    return out;
  };
  return (variables) => {
    if (variables === null || variables === undefined || typeof variables !== 'object') return undefined;
    if (Object.keys(variables).length === 0) return undefined;
    const redacted = copy(variables, 0);
    const size = JSON.stringify(redacted).length;
    return size > maxBytes ? { truncated: `[${size} bytes of variables]` } : redacted;
  };
}
