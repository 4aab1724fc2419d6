import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import type { Problem } from '../shared/errors.js';

export type YamlResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/**
 * Parses YAML text and validates it against a zod schema. Every problem names the file, the field path
 * and the line it is on, so `junction check` output can be acted on without opening a debugger.
 */
export function validateYaml<S extends z.ZodType>(schema: S, text: string, file: string): YamlResult<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        return { file, line: pos?.line, column: pos?.col, message: `YAML syntax: ${firstLine(error.message)}` };
      }),
    };
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      // Point an unknown key at its own line, not at the object holding it.
      const path = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? issue.keys : [])];
      const node = nodeAt(doc.contents, path);
      const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      const field = issue.path.length ? issue.path.join('.') : '(top level)';
      return { file, line, message: `${field}: ${issue.message}` };
    }),
  };
}

/** Deepest node on `path` that exists, so a missing key is reported at its parent. */
function nodeAt(root: unknown, path: readonly string[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(key, true);
    else if (isSeq(node)) next = node.get(Number(key), true);
    if (!next) return node;
    node = next as Node;
  }
  return node;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
