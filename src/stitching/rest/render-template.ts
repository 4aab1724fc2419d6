import { createGraphQLError } from '@graphql-tools/utils';
import type { Placeholder, QueryParamTemplate, TemplatePart } from '../../registry/index.js';

export interface TemplateScope {
  args: Record<string, unknown>;
  parent: unknown;
}

export function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function resolvePlaceholder(placeholder: Placeholder, scope: TemplateScope): unknown {
  return valueAt(placeholder.scope === 'args' ? scope.args : scope.parent, placeholder.path);
}

function asText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/** Renders a path template; every placeholder is URL-encoded as one path segment, so `../` cannot escape. */
export function renderPath(parts: readonly TemplatePart[], scope: TemplateScope): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = resolvePlaceholder(part, scope);
      if (value === undefined || value === null) {
        throw createGraphQLError(`Missing value for {${part.scope}.${part.path.join('.')}} in the service path`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return encodeURIComponent(asText(value));
    })
    .join('');
}

/** Renders query parameters; a parameter whose placeholders are all empty is left out. */
export function renderQuery(params: readonly QueryParamTemplate[], scope: TemplateScope): URLSearchParams {
  const search = new URLSearchParams();
  for (const param of params) {
    let empty = false;
    const value = param.value
      .map((part) => {
        if (typeof part === 'string') return part;
        const v = resolvePlaceholder(part, scope);
        if (v === undefined || v === null) empty = true;
        return empty ? '' : asText(v);
      })
      .join('');
    if (!empty) search.append(param.name, value);
  }
  return search;
}

export function withQuery(path: string, search: URLSearchParams): string {
  const query = search.toString();
  if (!query) return path;
  return path + (path.includes('?') ? '&' : '?') + query;
}
