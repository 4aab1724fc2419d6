/**
 * The placeholder syntax of `@http` templates: `{args.name}` reads a field argument, `{parent.a.b}` a
 * property of the parent object. Parsing is shared by `junction check` and the REST resolvers so both agree.
 */
export type TemplateScope = 'args' | 'parent';
export interface Placeholder {
  scope: TemplateScope;
  path: string[];
}
export type TemplatePart = string | Placeholder;

export class TemplateSyntaxError extends Error {}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push(parsePlaceholder(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  const stray = parts.find((p) => typeof p === 'string' && /[{}]/.test(p));
  if (stray !== undefined) throw new TemplateSyntaxError(`unbalanced brace in "${template}"`);
  return parts;
}

function parsePlaceholder(text: string): Placeholder {
  const [scope, ...path] = text.trim().split('.');
  if ((scope !== 'args' && scope !== 'parent') || path.length === 0 || !path.every((s) => PATH_SEGMENT.test(s))) {
    throw new TemplateSyntaxError(`placeholder "{${text}}" must look like {args.name} or {parent.field}`);
  }
  return { scope, path };
}

export interface QueryParamTemplate {
  name: string;
  value: TemplatePart[];
}

/** `"limit={args.first}&tag=x"` -> one template per parameter, so empty ones can be dropped. */
export function parseQueryTemplate(template: string): QueryParamTemplate[] {
  return template
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new TemplateSyntaxError(`query parameter "${pair}" must look like name=value`);
      return { name: pair.slice(0, eq), value: parseTemplate(pair.slice(eq + 1)) };
    });
}

export function placeholdersOf(parts: readonly TemplatePart[]): Placeholder[] {
  return parts.filter((p): p is Placeholder => typeof p !== 'string');
}
