import { z } from 'zod';
import { authConfigSchema } from './auth-config.js';
import { authzConfigSchema } from './authz-config.js';
import { balancingConfigSchema } from './balancing-config.js';
import { federationConfigSchema } from './federation-config.js';
import { redisConfigSchema } from './redis-config.js';
import { telemetryConfigSchema } from './telemetry-config.js';

/**
 * The gateway's options. The TypeScript type is derived from this schema so the two cannot drift;
 * unknown keys are rejected so a typo in a config file fails loudly instead of being ignored.
 */
export const gatewayConfigSchema = z
  .strictObject({
    /** Folder holding `<service>/service.yaml` + `<service>/schema.graphql`. @default "schemas" */
    registry: z.string().min(1).default('schemas'),
    server: z
      .strictObject({
        /** Interface to listen on; use 0.0.0.0 in containers. @default "127.0.0.1" */
        host: z.string().min(1).default('127.0.0.1'),
        /** @default 4000 */
        port: z.number().int().min(0).max(65535).default(4000),
        /** Requests with a larger body get 413 before it is parsed. @default 1048576 (1 MiB) */
        bodyLimitBytes: z.number().int().positive().default(1_048_576),
        graphiql: z
          .strictObject({
            /** Serve GraphiQL (assets inlined, no CDN) on GET /graphql from browsers. @default true */
            enabled: z.boolean().default(true),
            /** Query shown when GraphiQL opens. */
            defaultQuery: z.string().optional(),
          })
          .prefault({}),
        /** How long a graceful shutdown waits for in-flight requests before closing sockets. @default 10000 */
        shutdownTimeoutMs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
    /** Query limits (graphql-armor); each rejection names the limit. */
    limits: z
      .strictObject({
        /** Deepest allowed selection nesting. @default 15 */
        maxDepth: z.number().int().positive().default(15),
        /** Aliases allowed in one operation. @default 30 */
        maxAliases: z.number().int().nonnegative().default(30),
        /** Lexical tokens allowed in one document. @default 3000 */
        maxTokens: z.number().int().positive().default(3000),
        /** Directives allowed in one operation. @default 30 */
        maxDirectives: z.number().int().nonnegative().default(30),
        /** Operations allowed in one batched HTTP request (0 disables batching). @default 10 */
        maxBatchedOperations: z.number().int().nonnegative().default(10),
      })
      .prefault({}),
    reload: z
      .strictObject({
        /** Watch the registry and swap in a rebuilt graph when a file changes. @default true */
        enabled: z.boolean().default(true),
        /** Quiet period after the last change before rebuilding. @default 150 */
        debounceMs: z.number().int().nonnegative().default(150),
      })
      .prefault({}),
    logging: z
      .strictObject({
        /** pino level. @default "info" */
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
    execution: z
      .strictObject({
        /**
         * Serve operations with Junction's query planner (src/planner): one plan per document, batched
         * fetches to services and subgraphs, a compiled projection of the answer. Operations it cannot
         * plan (e.g. @computed fields, @interfaceObject, progressive @override) use the general
         * graphql-tools engine. `false` sends everything through graphql-tools.
         * @default true
         */
        queryPlanner: z.boolean().default(true),
        /**
         * Identical GraphQL requests to one service in flight at the same time (same document,
         * variables, every upstream header and the same routing decision, so never across users or
         * canary/default routes) share one call; never mutations.
         * @default true
         */
        dedupeInflight: z.boolean().default(true),
      })
      .prefault({}),
    redis: redisConfigSchema,
    auth: authConfigSchema,

    authz: authzConfigSchema,

    balancing: balancingConfigSchema,

    telemetry: telemetryConfigSchema,

    federation: federationConfigSchema,
  });

/** Options as written by a user (everything optional). */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
/** Options after validation and defaults; frozen. */
export type GatewayConfig = Readonly<z.output<typeof gatewayConfigSchema>>;
