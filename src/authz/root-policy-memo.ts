import type { FieldNode } from 'graphql';
import { ObjectSlot } from '../shared/object-slot.js';
import type { PolicyClause } from './clauses.js';

type Failing = PolicyClause | undefined | Promise<PolicyClause | undefined>;

const ROOT_VERDICTS = new ObjectSlot<Map<FieldNode, Failing>>(Symbol('junction.authz.rootPolicyVerdicts'));

/**
 * A root field's policy verdict, evaluated once per operation. Up to three places ask for it: the
 * planner's preflight, strict mode's whole-operation check and the field's own resolver. A policy that
 * calls out (an external decision service) must not pay two or three calls. Keyed by the operation's
 * context and the field as written: yoga builds one context per operation, even in a batch, so the
 * viewer and variables (and so the field's arguments) are the same whenever a key is. A root policy
 * reads no parent, so nothing else goes into its verdict. Without a context, evaluates every time.
 */
export function rootPolicyVerdict(context: unknown, node: FieldNode, evaluate: () => Failing): Failing {
  if (typeof context !== 'object' || context === null) return evaluate();
  let verdicts = ROOT_VERDICTS.get(context);
  if (!verdicts) ROOT_VERDICTS.set(context, (verdicts = new Map()));
  // has(), not get(): a verdict of "nothing fails" is stored as undefined.
  if (verdicts.has(node)) return verdicts.get(node);
  const failing = evaluate();
  verdicts.set(node, failing);
  return failing;
}
