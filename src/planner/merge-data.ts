import { GraphQLError } from 'graphql';
import { EACH, type PathSegment } from './plan-types.js';

/** Errors waiting on an object for the field (response key) that could not be fetched. */
export const FIELD_ERRORS = Symbol('junction.fieldErrors');

type DataObject = Record<string, unknown> & { [FIELD_ERRORS]?: Map<string, GraphQLError> };

export function isObject(value: unknown): value is DataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges one fetch's answer into an object that other fetches also fill. */
export function mergeInto(target: DataObject, source: Record<string, unknown>): void {
  for (const key in source) {
    const value = source[key];
    const existing = target[key];
    if (isObject(existing) && isObject(value)) mergeInto(existing, value);
    else if (Array.isArray(existing) && Array.isArray(value) && existing.length === value.length) {
      for (let i = 0; i < value.length; i++) {
        const a = existing[i];
        const b = value[i];
        if (isObject(a) && isObject(b)) mergeInto(a, b);
        else existing[i] = b;
      }
    } else if (value !== undefined) target[key] = value;
  }
}

/** Every object at `path` (EACH steps into list items), each object once. */
export function objectsAt(root: unknown, path: readonly PathSegment[]): DataObject[] {
  let current: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment === EACH) {
        if (Array.isArray(value)) for (const item of value) if (item != null) next.push(item);
      } else if (isObject(value)) {
        const child = value[segment];
        if (child != null) next.push(child);
      }
    }
    current = next;
  }
  return [...new Set(current.filter(isObject))];
}

export function markFieldError(target: DataObject, key: string, error: GraphQLError): void {
  (target[FIELD_ERRORS] ??= new Map()).set(key, error);
}

/**
 * Pins an error a subgraph reported at `path` (relative to `base`) on the object owning the field that
 * is null there, so that field's resolution raises it at the client's path. Returns false when the
 * path leads nowhere (the caller reports the error without a path).
 */
export function attachError(base: unknown, path: readonly (string | number)[], error: GraphQLError): boolean {
  let current: unknown = base;
  let owner: DataObject | undefined;
  let key: string | undefined;
  for (const segment of path) {
    if (current == null) break;
    if (Array.isArray(current)) {
      current = typeof segment === 'number' ? current[segment] : undefined;
    } else if (isObject(current) && typeof segment === 'string') {
      owner = current;
      key = segment;
      current = current[segment];
    } else {
      return false;
    }
  }
  if (!owner || key === undefined || (current != null && !Array.isArray(current))) return false;
  markFieldError(owner, key, error);
  return true;
}

/**
 * Rebuilds a GraphQL error a subgraph sent as JSON (the client path is set when it is raised).
 * Errors from the transport already name the service; a subgraph's own errors get `service` added.
 */
export function upstreamError(raw: unknown, service?: string): GraphQLError {
  // A fresh error even for GraphQLError instances (in-process REST services): their path is the
  // internal request's, and graphql-js keeps an error's path once set.
  if (raw instanceof GraphQLError) {
    const located = raw.path !== undefined || raw.locations !== undefined;
    if (!located) return raw;
    return new GraphQLError(raw.message, { extensions: raw.extensions, originalError: raw.originalError ?? undefined });
  }
  const { message, extensions } = (isObject(raw) ? raw : {}) as { message?: unknown; extensions?: Record<string, unknown> };
  const merged = { ...(isObject(extensions) ? extensions : {}), ...(service && !(isObject(extensions) && 'service' in extensions) ? { service } : {}) };
  return new GraphQLError(typeof message === 'string' ? message : 'Unknown error from a subgraph', { extensions: merged });
}
