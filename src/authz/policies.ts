import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ErrorCode, JunctionError } from '../shared/errors.js';
import type { Viewer } from '../shared/viewer.js';

/** What a policy decides on. */
export interface PolicyInput<Parent = Readonly<Record<string, unknown>>, Args = Readonly<Record<string, unknown>>> {
  readonly viewer: Viewer;
  /** The field's arguments, coerced by GraphQL (defaults applied). */
  readonly args: Args;
  /**
   * The object the field belongs to, holding exactly the `parentFields` the policy declares (fetched
   * for it under an alias clients cannot use, so a client cannot feed the policy other values); `{}`
   * for root fields and policies that declare none.
   */
  readonly parent: Parent;
  /** The field being resolved, e.g. "User.email". */
  readonly coordinate: string;
  readonly context: GatewayContext;
}

/** true allows. A policy that throws (or rejects) denies, and the error is logged. */
export type PolicyCheck<Parent = Readonly<Record<string, unknown>>, Args = Readonly<Record<string, unknown>>> = (
  input: PolicyInput<Parent, Args>,
) => boolean | Promise<boolean>;

/** A named policy: a check, or a check plus the parent fields it reads. */
export type PolicyDefinition =
  | PolicyCheck<any, any>
  | { readonly parentFields?: readonly string[]; readonly check: PolicyCheck<any, any> };

export type PolicyMap = Readonly<Record<string, PolicyDefinition>>;

/** A policy as the gateway uses it. */
export interface Policy {
  readonly name: string;
  readonly parentFields: readonly string[];
  readonly check: PolicyCheck;
}

/** Types a policy that reads parent fields: `parent` then has exactly those keys. */
export function definePolicy<const Fields extends readonly string[], Args = Readonly<Record<string, unknown>>>(definition: {
  parentFields: Fields;
  check: PolicyCheck<{ readonly [K in Fields[number]]?: unknown }, Args>;
}): PolicyDefinition {
  return definition;
}

/** Identity function that checks a policies module's shape at compile time. */
export function definePolicies<const T extends PolicyMap>(policies: T): T {
  return policies;
}

const NAME = /^[A-Za-z][\w.:-]*$/;
const FIELD = /^[_A-Za-z]\w*$/;

/** Normalises a policy map, rejecting bad names and parent fields with a clear problem list. */
export function normalizePolicies(map: PolicyMap, source: string): ReadonlyMap<string, Policy> {
  const policies = new Map<string, Policy>();
  const problems: string[] = [];
  for (const [name, definition] of Object.entries(map)) {
    if (!NAME.test(name)) problems.push(`policy "${name}": names are letters, digits, _ . : - and start with a letter`);
    const check = typeof definition === 'function' ? definition : definition?.check;
    const parentFields = typeof definition === 'function' ? [] : [...(definition?.parentFields ?? [])];
    if (typeof check !== 'function') problems.push(`policy "${name}": expected a function or { parentFields, check }`);
    for (const field of parentFields) if (typeof field !== 'string' || !FIELD.test(field)) problems.push(`policy "${name}": parentFields entry ${JSON.stringify(field)} is not a field name`);
    policies.set(name, { name, parentFields, check: check as PolicyCheck });
  }
  if (problems.length) throw new JunctionError(ErrorCode.AUTHZ_INVALID, 'Invalid authorization policies', problems.map((message) => ({ file: source, message })));
  return policies;
}

/**
 * Loads `authz.policies`: a module whose default export (or `policies` export) is the policy map.
 * TypeScript modules are loaded through tsx, so an installed gateway (plain Node) reads them too.
 */
export async function loadPolicies(setting: string | PolicyMap): Promise<ReadonlyMap<string, Policy>> {
  if (typeof setting !== 'string') return normalizePolicies(setting, '(authz.policies)');
  let loaded: Record<string, unknown>;
  try {
    const url = pathToFileURL(setting).href;
    loaded = /^\.[mc]?ts$/.test(extname(setting))
      ? ((await (await import('tsx/esm/api')).tsImport(url, import.meta.url)) as Record<string, unknown>)
      : ((await import(url)) as Record<string, unknown>);
  } catch (error) {
    throw new JunctionError(ErrorCode.AUTHZ_INVALID, `Cannot load the authorization policies module ${setting}: ${(error as Error).message}`);
  }
  const map = exportedPolicies(loaded);
  if (typeof map !== 'object' || map === null) {
    throw new JunctionError(ErrorCode.AUTHZ_INVALID, `The authorization policies module ${setting} has no default export or "policies" export`);
  }
  return normalizePolicies(map, setting);
}

/**
 * `export default {...}` or `export const policies = {...}`; a TypeScript module outside an ESM
 * package is compiled to CommonJS, whose exports arrive wrapped in `default` (with `__esModule`).
 */
function exportedPolicies(loaded: Record<string, unknown>): PolicyMap | undefined {
  let candidate: unknown = loaded;
  for (let depth = 0; depth < 3 && isObject(candidate); depth++) {
    if (isObject(candidate['policies'])) return candidate['policies'] as PolicyMap;
    if (!('default' in candidate)) return depth === 0 ? undefined : (candidate as PolicyMap);
    candidate = candidate['default'];
  }
  return isObject(candidate) ? (candidate as PolicyMap) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
