import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, getNamedType, GraphQLSchema, type GraphQLFieldResolver } from 'graphql';
import type { ServiceDefinition } from '../registry/index.js';
import { ErrorCode, JunctionError, type Problem } from '../shared/errors.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ANONYMOUS_VIEWER } from '../shared/viewer.js';
import type { Logger } from '../telemetry/index.js';
import type { DeniedEvent } from './authz-errors.js';
import { AUTHZ_MODEL, createModel, type AuthzModel } from './authz-model.js';
import { collectServiceRules } from './collect-rules.js';
import { failingPolicyClause } from './evaluate-policies.js';
import { addOverlay } from './overlay.js';
import { rootPolicyVerdict } from './root-policy-memo.js';
import type { Policy } from './policies.js';
import { buildRequirements, dedupe, type Requirement } from './requirements.js';

export interface AuthorizeSchemaOptions {
  policies: ReadonlyMap<string, Policy>;
  /** Overlay SDL file (authz.overlay), re-read with every build. */
  overlay?: string;
  logger: Logger;
  emit: (event: DeniedEvent) => void;
  /** `deny` (serve: such fields are denied to everyone, with a warning) or `error` (junction check). @default "deny" */
  unknownPolicies?: 'deny' | 'error';
}

/**
 * The schema transform: reads the directives of every service (and the overlay), precomputes each
 * field's requirement, and wraps the resolvers of protected fields (checks before the field resolves,
 * so before any upstream call for it) and of fields whose selections can reach protected ones
 * (pruning what is delegated upstream). Returns the schema it was given when nothing is protected.
 * Throws JunctionError (JNC_AUTHZ_INVALID) listing every malformed directive.
 */
export function authorizeSchema(schema: GraphQLSchema, services: readonly ServiceDefinition[], options: AuthorizeSchemaOptions): GraphQLSchema {
  const rules = collectServiceRules(services);
  if (options.overlay) addOverlay(rules, options.overlay, schema);
  const { requirements, problems, unknownPolicies } = buildRequirements(schema, rules, options.policies);
  const fatal: Problem[] = dedupe([...problems, ...(options.unknownPolicies === 'error' ? unknownPolicies : [])]);
  if (fatal.length) throw new JunctionError(ErrorCode.AUTHZ_INVALID, 'Invalid authorization directives', fatal);
  for (const problem of unknownPolicies) options.logger.warn({ file: problem.file, line: problem.line }, `${problem.message}: the field is denied to every viewer`);
  if (requirements.size === 0) return schema;

  const model = createModel({ schema, requirements, policies: options.policies, logger: options.logger, emit: options.emit });
  const guarded = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const requirement = requirements.get(`${typeName}.${fieldName}`);
      const prunes = model.reachesProtected.has(getNamedType(config.type).name);
      if (!requirement && !prunes) return config;
      return { ...config, resolve: guard(model, requirement, prunes, config.resolve ?? defaultFieldResolver) };
    },
  });
  return new GraphQLSchema({ ...guarded.toConfig(), extensions: { ...guarded.extensions, [AUTHZ_MODEL]: model } });
}

type Resolver = GraphQLFieldResolver<unknown, unknown>;

/**
 * The per-field check. Static clauses are decided per profile (cached); policies run per object with
 * its arguments and parent. Fields reaching protected ones hand graphql-tools a pruned `info`.
 */
function guard(model: AuthzModel, requirement: Requirement | undefined, prunes: boolean, original: Resolver): Resolver {
  const { pruner, policies, logger } = model;
  const pruned: Resolver = prunes
    ? (source, args, context, info) => original(source, args, context, pruner.prune(info, model.profileFor(viewerOf(context))))
    : original;
  if (!requirement) return pruned;
  // A field left out of its parent's request until its policy allowed it: fetch it now (batched).
  const proceed: Resolver = model.deferred.has(requirement)
    ? (source, args, context, info) => {
        const next = prunes ? pruner.prune(info, model.profileFor(viewerOf(context))) : info;
        const fetching = model.fetchDeferred(source, context, next);
        return fetching ? fetching.then(() => original(source, args, context, next)) : original(source, args, context, next);
      }
    : pruned;
  const { coordinate } = requirement;
  return (source, args, context, info) => {
    const viewer = viewerOf(context);
    const denied = model.profileFor(viewer).staticDenial(requirement);
    if (denied) throw model.deny(coordinate, denied, viewer, 'field');
    if (!requirement.policyClauses.length) return proceed(source, args, context, info);
    const call = { viewer, args, source, context: context as GatewayContext };
    // A root field's policy may have been decided for this operation already (preflight, strict mode);
    // fields below the root, resolved once per object, are decided directly.
    const failing = info.path.prev === undefined
      ? rootPolicyVerdict(context, info.fieldNodes[0]!, () => failingPolicyClause(requirement, policies, call, logger))
      : failingPolicyClause(requirement, policies, call, logger);
    if (failing instanceof Promise) {
      return failing.then((clause) => {
        if (clause) throw model.deny(coordinate, clause, viewer, 'field');
        return proceed(source, args, context, info);
      });
    }
    if (failing) throw model.deny(coordinate, failing, viewer, 'field');
    return proceed(source, args, context, info);
  };
}

function viewerOf(context: unknown) {
  return (context as Partial<GatewayContext> | undefined)?.viewer ?? ANONYMOUS_VIEWER;
}
