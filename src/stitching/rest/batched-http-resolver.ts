import DataLoader from 'dataloader';
import type { GraphQLFieldResolver } from 'graphql';
import { placeholdersOf, type QueryParamTemplate } from '../../registry/index.js';
import type { RestClient } from '../../transports/index.js';
import type { HttpFieldSpec } from './http-resolver.js';
import { renderPath, renderQuery, resolvePlaceholder, valueAt, withQuery } from './render-template.js';

export interface BatchedHttpFieldSpec extends HttpFieldSpec {
  /** The query parameter collecting the keys, e.g. `userIds={parent.id}`. */
  batch: QueryParamTemplate;
  /** Response item property naming the key it belongs to. */
  matchBy: string[];
}

/** Keeps URLs well under common 8 KiB limits; larger lists take a few calls instead of one per key. */
const MAX_KEYS_PER_CALL = 100;

/** Per client request (the GraphQL context), so batches never mix two requests' identities. */
const loadersByContext = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

/**
 * Resolves a field of many parents with one HTTP call: keys are collected through DataLoader during
 * one tick of execution, sent as one comma-separated query parameter, and the answer's items are
 * handed back to their parent by `matchBy`.
 */
export function createBatchedHttpResolver(client: RestClient, spec: BatchedHttpFieldSpec): GraphQLFieldResolver<unknown, unknown> {
  const keyPlaceholder = placeholdersOf(spec.batch.value)[0]!;
  return (parent, args: Record<string, unknown>, context) => {
    const key = resolvePlaceholder(keyPlaceholder, { args, parent });
    if (key === undefined || key === null) return spec.returnsList ? [] : null;
    return loaderFor(context, args, client, spec).load(String(key));
  };
}

function loaderFor(context: unknown, args: Record<string, unknown>, client: RestClient, spec: BatchedHttpFieldSpec) {
  const owner = typeof context === 'object' && context !== null ? context : {};
  let loaders = loadersByContext.get(owner);
  if (!loaders) loadersByContext.set(owner, (loaders = new Map()));
  const id = `${spec.coordinate}(${JSON.stringify(args)})`;
  let loader = loaders.get(id);
  if (!loader) {
    loader = new DataLoader((keys) => loadBatch(keys, args, context, client, spec), { maxBatchSize: MAX_KEYS_PER_CALL });
    loaders.set(id, loader);
  }
  return loader;
}

async function loadBatch(
  keys: readonly string[], args: Record<string, unknown>, context: unknown, client: RestClient, spec: BatchedHttpFieldSpec,
): Promise<unknown[]> {
  const scope = { args, parent: undefined };
  const search = renderQuery(spec.query, scope);
  search.append(spec.batch.name, keys.join(','));
  const json = await client.call({ method: spec.method, path: withQuery(renderPath(spec.path, scope), search), context });
  const value = json === undefined ? [] : spec.select ? valueAt(json, spec.select) : json;
  const items = Array.isArray(value) ? value : [];
  const byKey = new Map<string, unknown[]>();
  for (const item of items) {
    const owner = String(valueAt(item, spec.matchBy));
    const list = byKey.get(owner);
    if (list) list.push(item);
    else byKey.set(owner, [item]);
  }
  return keys.map((key) => {
    const matches = byKey.get(key) ?? [];
    return spec.returnsList ? matches : (matches[0] ?? null);
  });
}
