import type { Plugin } from 'graphql-yoga';
import type { Auth } from '../auth/index.js';
import { authorizationPreflight, type Authorization } from '../authz/index.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { useUpstreamsAdmin, type Upstreams } from '../balancing/index.js';
import type { GatewayConfig } from '../config/index.js';
import type { RedisClient } from '../redis/index.js';
import type { GraphManager } from '../stitching/index.js';
import { telemetryRoutes, useTelemetry, type Logger, type Telemetry } from '../telemetry/index.js';
import { useQueryPlans } from '../planner/index.js';
import { adminAccess } from './admin-access.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useQueryLimits } from './use-query-limits.js';
import { useReadiness } from './use-readiness.js';

export interface PluginDeps {
  config: GatewayConfig;
  logger: Logger;
  /** Shared Redis connection, when configured; stores fall back to memory without it. */
  redis: RedisClient | undefined;
  /** Token routes, authentication and identity forwarding (src/auth). */
  auth: Auth;
  /** Authorization directives: per-field checks live in the schema; these are whole-operation checks (src/authz). */
  authz: Authorization;
  graphs: GraphManager;
  upstreams: Upstreams;
  /** Undefined when telemetry is disabled. */
  telemetry: Telemetry | undefined;
  isReady: () => boolean;
}

/** The request pipeline, in order. Order matters where commented. */
export function gatewayPlugins({ config, auth, authz, upstreams, isReady, graphs, telemetry }: PluginDeps): Plugin[] {
  const admin = adminAccess(config, auth);
  return [
    // Telemetry first (issue #6): request id, access log, metrics and field usage must see every
    // request. Field timings include authorization's resolver checks (resolvers are wrapped in the schema).
    // Its admin routes (/metrics, /admin/usage) are answered from the same request hook, before
    // authentication: an operator's admin token is not a token authentication accepts.
    ...(telemetry ? [useTelemetry({ telemetry, fields: config.telemetry.fields.enabled, routes: telemetryRoutes({ telemetry, guard: admin }) })] : []),

    // Routes that need no GraphQL answer before anything else runs.
    useReadiness({ isReady }),

    // Admin routes (/admin/upstreams #5), before authentication: an operator's admin token is not a
    // token authentication accepts. The guard checks either kind.
    useUpstreamsAdmin({ upstreams, guard: admin }),

    // Token routes (/auth/*, /.well-known/jwks.json) and authentication (issue #3). Before CSRF
    // prevention: OAuth clients post forms by design. Authentication runs before parsing, so a bad
    // token costs no parse.
    ...auth.plugins(),

    // Before parsing: a cross-site form post must not reach execution.
    useCsrfPrevention(),

    // Parse and validate limits; they run before the (cached) document reaches execution.
    ...useQueryLimits(config.limits),

    // Authorization, strict mode (issue #4): whole-operation checks after validation.
    ...authz.plugins(),

    // Last: operations the graph's query planner can serve skip graphql-tools delegation.
    // Authorization's preflight keeps operations with a denied field or a refusing root policy on
    // graphql-tools; the planner fetches policy-guarded fields below the root only for the objects
    // their policies allow (its gates, see graph-manager's planGates).
    useQueryPlans({
      fastPathFor: (schema) => graphs.store.graphFor(schema)?.fastPath,
      admits: (args, fastPath) => {
        const verdict = authorizationPreflight(args.schema, args.document, args.operationName, args.variableValues, (args.contextValue as GatewayContext).viewer, args.contextValue);
        return verdict === 'allowed' || (verdict === 'gated' && fastPath.gated);
      },
    }),
  ];
}
