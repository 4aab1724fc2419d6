import type { GraphQLFieldResolver } from 'graphql';
import type { QueryParamTemplate, TemplatePart } from '../../registry/index.js';
import type { RestClient } from '../../transports/index.js';
import { renderPath, renderQuery, resolvePlaceholder, valueAt, withQuery, type TemplateScope } from './render-template.js';

export interface HttpFieldSpec {
  coordinate: string;
  method: string;
  path: TemplatePart[];
  query: QueryParamTemplate[];
  /** `"{args.input}"`: the JSON body. */
  body?: string;
  select?: string[];
  returnsList: boolean;
}

/** One HTTP call per resolution. For merge entry points the answer is re-ordered to match the keys. */
export function createHttpResolver(
  client: RestClient, spec: HttpFieldSpec & { mergeKeyField?: string },
): GraphQLFieldResolver<unknown, unknown> {
  const bodyPlaceholder = spec.body ? parseBody(spec.body) : undefined;
  return async (parent, args: Record<string, unknown>, context) => {
    const scope: TemplateScope = { args, parent };
    const path = withQuery(renderPath(spec.path, scope), renderQuery(spec.query, scope));
    const body = bodyPlaceholder ? resolvePlaceholder(bodyPlaceholder, scope) : undefined;
    const json = await client.call({ method: spec.method, path, body, context });
    if (json === undefined) return spec.returnsList ? [] : null;
    const value = spec.select ? valueAt(json, spec.select) : json;
    if (spec.mergeKeyField && Array.isArray(value)) return orderByKeys(value, spec.mergeKeyField, args);
    return value;
  };
}

function parseBody(body: string) {
  const match = /^\{(args|parent)\.([\w.]+)\}$/.exec(body);
  return match ? { scope: match[1] as 'args' | 'parent', path: match[2]!.split('.') } : undefined;
}

/** Batched merge resolvers must answer one item per key, in key order; REST services rarely promise that. */
function orderByKeys(items: unknown[], keyField: string, args: Record<string, unknown>): unknown[] {
  const keys = Object.values(args).find(Array.isArray) ?? [];
  const byKey = new Map(items.map((item) => [String(valueAt(item, [keyField])), item]));
  return keys.map((key) => byKey.get(String(key)) ?? null);
}
