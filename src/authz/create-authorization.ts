import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AuthzConfig } from '../config/index.js';
import type { ServiceDefinition } from '../registry/index.js';
import type { Logger } from '../telemetry/index.js';
import { emitter, type AuthzEventListener } from './authz-errors.js';
import { authorizeSchema } from './authorize-schema.js';
import { loadPolicies, type PolicyMap } from './policies.js';
import { useAuthorization } from './use-authorization.js';

export interface AuthorizationOptions {
  config: AuthzConfig;
  logger: Logger;
  /**
   * A directive naming a policy the configuration lacks: `deny` (serve: the field is denied to
   * everyone, and a warning is logged with each build) or `error` (junction check). @default "deny"
   */
  unknownPolicies?: 'deny' | 'error';
}

/** Authorization as the gateway wires it. */
export interface Authorization {
  readonly enabled: boolean;
  /**
   * For the graph manager's `schemaTransforms`: guards a freshly stitched schema (and the query
   * planner's projection schema). Returns its input when no directive applies anywhere.
   */
  readonly transform: (schema: GraphQLSchema, services: readonly ServiceDefinition[]) => GraphQLSchema;
  /** Request-path checks (strict mode, introspection, reserved aliases), after validation. */
  plugins(): Plugin[];
  /** Denials as they happen (metrics, audit); returns the unsubscribe function. */
  subscribe(listener: AuthzEventListener): () => void;
}

/** Loads the policies module (if any) and builds authorization from `config.authz`. */
export async function createAuthorization({ config, logger: root, unknownPolicies = 'deny' }: AuthorizationOptions): Promise<Authorization> {
  const logger = root.child({ module: 'authz' });
  const listeners = new Set<AuthzEventListener>();
  const emit = emitter(listeners, (error) => logger.error({ err: error }, 'authorization event listener threw'));
  const subscribe = (listener: AuthzEventListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const plugins = () => useAuthorization({ strict: config.strict, anonymousIntrospection: config.anonymousIntrospection });
  if (!config.enabled) {
    logger.warn('authorization disabled (authz.enabled: false): directives are not enforced');
    return { enabled: false, transform: (schema) => schema, plugins, subscribe };
  }
  const policies = await loadPolicies(config.policies as string | PolicyMap);
  return {
    enabled: true,
    transform: (schema, services) => authorizeSchema(schema, services, { policies, overlay: config.overlay, logger, emit, unknownPolicies }),
    plugins,
    subscribe,
  };
}
