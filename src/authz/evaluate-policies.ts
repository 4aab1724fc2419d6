import type { GatewayContext } from '../shared/gateway-context.js';
import type { Viewer } from '../shared/viewer.js';
import type { Logger } from '../telemetry/index.js';
import type { PolicyClause } from './clauses.js';
import type { Policy } from './policies.js';
import type { Requirement } from './requirements.js';

/**
 * Parent fields a policy reads are fetched under this alias prefix (`_junction_authz_id: id`), which
 * clients may not use (the plugin refuses such operations), so a policy never reads a value a client
 * aliased in.
 */
export const RESERVED_ALIAS_PREFIX = '_junction_authz_';

export interface PolicyCall {
  viewer: Viewer;
  args: Readonly<Record<string, unknown>>;
  /** The raw parent object (holding the reserved aliases), or undefined for root fields. */
  source: unknown;
  context: GatewayContext;
}

type Verdict = boolean | Promise<boolean>;

/** Runs a requirement's policy clauses; resolves to the first clause that fails, or undefined. */
export function failingPolicyClause(
  requirement: Requirement, policies: ReadonlyMap<string, Policy>, call: PolicyCall, logger: Logger,
): PolicyClause | undefined | Promise<PolicyClause | undefined> {
  const run = (name: string): Verdict => runPolicy(policies.get(name), name, requirement, call, logger);
  return firstFailing(requirement.policyClauses, 0, (clause) => some(clause.anyOf, 0, (group) => every(group, 0, run)));
}

function runPolicy(policy: Policy | undefined, name: string, requirement: Requirement, call: PolicyCall, logger: Logger): Verdict {
  // A policy the configuration lacks denies: a typo must never open a field.
  if (!policy) return false;
  const parent: Record<string, unknown> = {};
  const source = call.source as Record<string, unknown> | null | undefined;
  for (const field of policy.parentFields) parent[field] = source?.[`${RESERVED_ALIAS_PREFIX}${field}`];
  const failed = (error: unknown) => {
    logger.error({ err: error, policy: name, coordinate: requirement.coordinate }, 'authorization policy threw; denying');
    return false;
  };
  try {
    const result = policy.check({ viewer: call.viewer, args: call.args, parent, coordinate: requirement.coordinate, context: call.context });
    // Promise.resolve: a policy may return any thenable; callers rely on a native promise.
    return isPromise(result) ? Promise.resolve(result).then((ok) => ok === true, failed) : result === true;
  } catch (error) {
    return failed(error);
  }
}

/** The first item `test` rejects, evaluating in order and staying synchronous while the tests are. */
function firstFailing<T>(items: readonly T[], from: number, test: (item: T) => Verdict): T | undefined | Promise<T | undefined> {
  for (let i = from; i < items.length; i++) {
    const verdict = test(items[i]!);
    if (isPromise(verdict)) return verdict.then((ok) => (ok ? firstFailing(items, i + 1, test) : items[i]));
    if (!verdict) return items[i];
  }
  return undefined;
}

function some<T>(items: readonly T[], from: number, test: (item: T) => Verdict): Verdict {
  for (let i = from; i < items.length; i++) {
    const verdict = test(items[i]!);
    if (isPromise(verdict)) return verdict.then((ok) => ok || some(items, i + 1, test));
    if (verdict) return true;
  }
  return false;
}

function every<T>(items: readonly T[], from: number, test: (item: T) => Verdict): Verdict {
  for (let i = from; i < items.length; i++) {
    const verdict = test(items[i]!);
    if (isPromise(verdict)) return verdict.then((ok) => ok && every(items, i + 1, test));
    if (!verdict) return false;
  }
  return true;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
