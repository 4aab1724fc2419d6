import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { GraphQLError, visit, BREAK, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RequestErrorCode } from '../shared/errors.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../shared/viewer.js';
import { modelOf, type AuthzModel } from './authz-model.js';
import { RESERVED_ALIAS_PREFIX } from './evaluate-policies.js';
import type { OperationAnalysis } from './operation-analysis.js';
import { rootPolicyDenials, type Denial } from './root-policy-denials.js';

export interface AuthorizationPluginOptions {
  /** Which operations are refused whole when they request a denied field. */
  strict: 'mutations' | 'all' | 'off';
  /** false: anonymous viewers get no introspection, and nobody gets "Did you mean" suggestions. */
  anonymousIntrospection: boolean;
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="junction"' };

/**
 * Whole-operation checks, after validation and before execution: introspection for anonymous viewers,
 * the gateway's reserved aliases, and strict mode (refuse the operation when any field it requests is
 * denied: static clauses of every field, and the policies of root fields with their arguments; fields
 * below the root whose policies read their parent are decided as they resolve). Per-field enforcement
 * lives in the schema itself (authorizeSchema).
 */
export function useAuthorization({ strict, anonymousIntrospection }: AuthorizationPluginOptions): Plugin[] {
  const introspects = new WeakMap<DocumentNode, boolean>();
  const checks: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Partial<GatewayContext> | undefined;
      const viewer = context?.viewer ?? ANONYMOUS_VIEWER;
      if (!anonymousIntrospection && !viewer.authenticated && usesIntrospection(introspects, args.document)) {
        const http = { status: 401, headers: CHALLENGE };
        return setResultAndStopExecution({ errors: [new GraphQLError('Introspection is not available to anonymous viewers: send a token', { extensions: { code: RequestErrorCode.INTROSPECTION_DISABLED, http } })] });
      }
      const model = modelOf(args.schema);
      if (!model) return;
      const analysis = model.analyze(args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);
      if (analysis.reservedAlias) {
        const message = `Aliases starting with "${RESERVED_ALIAS_PREFIX}" are reserved by the gateway`;
        return setResultAndStopExecution({ errors: [new GraphQLError(message, { nodes: [analysis.reservedAlias], extensions: { code: RequestErrorCode.RESERVED_ALIAS, http: { status: 400 } } })] });
      }
      const kind = analysis.operation?.operation;
      if (!kind || strict === 'off' || (strict === 'mutations' && kind !== 'mutation')) return;
      const refuse = (denials: Denial[]) => {
        if (!denials.length) return;
        const http = viewer.authenticated ? { status: 403 } : { status: 401, headers: CHALLENGE };
        setResultAndStopExecution({
          errors: denials.map(({ coordinate, clause, node }) => {
            const error = model.deny(coordinate, clause, viewer, 'operation');
            return new GraphQLError(error.message, { nodes: [node], extensions: { ...error.extensions, http } });
          }),
        });
      };
      // Synchronous unless a root field's policy is asynchronous: most operations pay no promise here.
      const denials = operationDenials(model, analysis, args, viewer);
      return denials instanceof Promise ? denials.then(refuse) : refuse(denials);
    },
  };
  // Suggestions name fields the viewer did not ask for: with introspection closed they must not leak them.
  return anonymousIntrospection ? [checks] : [blockFieldSuggestionsPlugin({ mask: '' }) as Plugin, checks];
}

/** Static denials anywhere, plus root fields whose policies refuse their arguments (decidable before execution). */
function operationDenials(model: AuthzModel, analysis: OperationAnalysis, args: ExecutionArgs, viewer: Viewer): Denial[] | Promise<Denial[]> {
  const denials: Denial[] = analysis.verdict(model.profileFor(viewer)).denials.map(({ occurrence, clause }) => ({ coordinate: occurrence.requirement.coordinate, clause, node: occurrence.node }));
  const roots = rootPolicyDenials(model, analysis, args, viewer);
  // In document order: sort by where each field is written.
  const merge = (more: Denial[]) => [...denials, ...more].sort((a, b) => (a.node.loc?.start ?? 0) - (b.node.loc?.start ?? 0));
  return roots instanceof Promise ? roots.then(merge) : merge(roots);
}

function usesIntrospection(cache: WeakMap<DocumentNode, boolean>, document: DocumentNode): boolean {
  let uses = cache.get(document);
  if (uses === undefined) {
    uses = false;
    visit(document, {
      Field(node) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
        uses = true;
        return BREAK;
      },
    });
    cache.set(document, uses);
  }
  return uses;
}
