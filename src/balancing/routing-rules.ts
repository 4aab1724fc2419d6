import type { RoutingRule, RoutingSettings } from '../registry/index.js';
import type { GatewayContext } from '../shared/gateway-context.js';

/** Returns the first rule the client request matches, or undefined for the default endpoints. */
export type RuleMatcher = (context: unknown) => RoutingRule | undefined;

export interface RuleMatcherOptions {
  /** Roll for anonymous percentage rules, in [0, 1). */
  random?: () => number;
}

/**
 * Compiles a service's routing rules. Every condition of a rule must hold: a header (with a value,
 * when given), the viewer's OAuth client id, a percentage of viewers. Percentages are sticky: a
 * signed-in user (or client) always lands on the same side, so a canary user does not flip between
 * versions; anonymous requests roll once per client request, so all upstream calls of one GraphQL
 * request agree.
 */
export function createRuleMatcher({ rules }: RoutingSettings, { random = Math.random }: RuleMatcherOptions = {}): RuleMatcher {
  if (rules.length === 0) return () => undefined;
  const rolls = new WeakMap<object, number>();
  const rollFor = (context: object | undefined): number => {
    if (!context) return random();
    let roll = rolls.get(context);
    if (roll === undefined) rolls.set(context, (roll = random()));
    return roll;
  };
  const matches = (rule: RoutingRule, context: Partial<GatewayContext> | undefined): boolean => {
    if (rule.header) {
      const value = headerOf(context, rule.header.name);
      if (value === undefined || (rule.header.value !== undefined && value !== rule.header.value)) return false;
    }
    if (rule.clientIds) {
      const clientId = context?.viewer?.clientId;
      if (clientId === undefined || !rule.clientIds.includes(clientId)) return false;
    }
    if (rule.percentage !== undefined) {
      const identity = context?.viewer?.subject ?? context?.viewer?.clientId;
      const bucket = identity === undefined ? rollFor(context) : stableBucket(`${rule.subset}:${identity}`);
      if (bucket * 100 >= rule.percentage) return false;
    }
    return true;
  };
  return (context) => {
    const ctx = typeof context === 'object' && context !== null ? (context as Partial<GatewayContext>) : undefined;
    return rules.find((rule) => matches(rule, ctx));
  };
}

function headerOf(context: Partial<GatewayContext> | undefined, name: string): string | undefined {
  const headers = context?.request?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  return headers.get(name) ?? undefined;
}

/** FNV-1a of the key, as a fraction in [0, 1): the same key always lands in the same bucket. */
export function stableBucket(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}
