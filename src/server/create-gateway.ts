import { createGraphQLError } from '@graphql-tools/utils';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAuth } from '../auth/index.js';
import { createAuthorization, plannerGates } from '../authz/index.js';
import { createUpstreams, type Upstreams } from '../balancing/index.js';
import { loadConfig, resolveConfig, type GatewayConfig, type GatewayConfigInput } from '../config/index.js';
import { RequestErrorCode } from '../shared/errors.js';
import { createGraphManager, type Graph, type ReloadResult } from '../stitching/index.js';
import { closeRedis, createRedis } from '../redis/index.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ANONYMOUS_VIEWER } from '../shared/viewer.js';
import { createLogger, createTelemetry, FIELD_COLLECTOR, type Logger, type Telemetry } from '../telemetry/index.js';
import { composeUpstreamHeaders, UPSTREAM_HEADERS } from '../transports/index.js';
import { listen, type ListeningServer } from './listen.js';
import { createErrorMasker } from './mask-errors.js';
import { gatewayPlugins } from './plugins.js';

export interface GatewayOptions {
  /** Options in code; applied over `configFile`. */
  config?: GatewayConfigInput;
  /** A YAML configuration file. */
  configFile?: string;
  /** Root logger; one is created from `config.logging` when omitted. */
  logger?: Logger;
  /**
   * A composed Federation supergraph SDL to serve, given in code; the file equivalent is
   * `config.federation.supergraph` (`junction serve --supergraph FILE`).
   */
  supergraphSdl?: string;
}

export interface Gateway extends AsyncDisposable {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Logs, traces, metrics and metering; undefined with `telemetry.enabled: false`. */
  readonly telemetry: Telemetry | undefined;
  /** WHATWG fetch entry point, for embedding and in-process tests. */
  fetch: YogaServerInstance<object, object>['fetch'];
  /** Node `http` request listener. */
  handleNodeRequest(req: IncomingMessage, res: ServerResponse): void;
  /** The graph new requests run on. */
  graph(): Graph | undefined;
  /** Rebuilds the graph from the registry now. */
  reload(): Promise<ReloadResult>;
  /** Listens on `config.server.host:port`; resolves once accepting connections. */
  listen(): Promise<ListeningServer>;
  /** Graceful: stop accepting, finish in-flight requests (bounded by shutdownTimeoutMs), release everything. */
  close(): Promise<void>;
}

/** Builds the gateway: loads the registry into the first graph, then wires the request pipeline. */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const config = options.configFile
    ? await loadConfig({ file: options.configFile, overrides: options.config })
    : resolveConfig(options.config ?? {});
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const redis = createRedis(config.redis, logger);
  // Telemetry first: upstream calls, graph builds and authentication report to it. It reads the live graph lazily.
  const telemetry = config.telemetry.enabled
    ? createTelemetry({ config: config.telemetry, logger, redis, currentGraph: () => graphs.store.current() })
    : undefined;
  const auth = await createAuth({ config: config.auth, redis, redisKeyPrefix: config.redis.keyPrefix, logger }).catch(async (error: unknown) => {
    await telemetry?.close();
    await closeRedis(redis);
    throw error;
  });
  // Token validation failures by reason, for /metrics.
  if (telemetry) auth.subscribe((event) => event.type === 'rejected' && telemetry.recordTokenFailure(event.reason));
  const authz = await createAuthorization({ config: config.authz, logger }).catch(async (error: unknown) => {
    await auth.close();
    await telemetry?.close();
    await closeRedis(redis);
    throw error;
  });
  // Denials by coordinate and code, for /metrics.
  if (telemetry) authz.subscribe((event) => telemetry.recordDenial(event.coordinate, event.code, event.scope));
  const upstreams: Upstreams = createUpstreams({
    balancing: config.balancing,
    logger: logger.child({ module: 'balancing' }),
    // Upstream call observers: access log and metrics (issue #6).
    observer: telemetry?.upstreamObserver,
    // Endpoint state changes: ejections are counted in /metrics (every change is logged by balancing).
    onEvent: telemetry && ((event) => event.type === 'endpoint-state' && event.to === 'ejected' && telemetry.recordEjection(event.service, event.endpoint)),
  });
  const graphs = createGraphManager({
    registryDir: config.registry,
    upstreams,
    logger: logger.child({ module: 'registry' }),
    drainMs: config.server.shutdownTimeoutMs,
    queryPlanner: config.execution.queryPlanner,
    dedupeInflight: config.execution.dedupeInflight,
    // Field usage of planner-executed operations, which run no resolvers (issue #6).
    planObserver: telemetry?.planObserver,
    // Federation subgraphs and supergraph file (issue #7).
    federation: config.federation,
    supergraphSdl: options.supergraphSdl,
    upstreamHeaders: composeUpstreamHeaders({
      // Verified identity for services (issue #3): it keeps two users' calls from being shared.
      identifying: [auth.upstreamHeaders],
      // Trace context (issue #6): traceparent, tracestate and x-request-id of the client request.
      tracing: [telemetry?.upstreamHeaders],
    }),
    schemaTransforms: [
      // Authorization directives (issue #4).
      authz.transform,
    ],
    // The planner only runs operations authorization's preflight allows (plugins.ts) and fetches
    // policy-guarded fields through its gates, so its projection needs no resolver wrapping and keeps
    // the compiled projection.
    projectionTransforms: [],
    planGates: plannerGates,
  });
  let draining = false;
  try {
    await graphs.start();
    if (config.reload.enabled) await graphs.watch(config.reload.debounceMs);
  } catch (error) {
    await graphs.close();
    await upstreams.close();
    await auth.close();
    await telemetry?.close();
    await closeRedis(redis);
    throw error;
  }

  const yoga = createYoga({
    // Each request resolves the schema once, at its start: a reload never changes a running request's graph.
    schema: () => {
      const graph = graphs.store.current();
      if (!graph) throw createGraphQLError('The gateway has no graph loaded yet', { extensions: { code: RequestErrorCode.GRAPH_NOT_READY, http: { status: 503 } } });
      return graph.schema;
    },
    // Every module reads its own field; authentication replaces the anonymous viewer. The fields set
    // later in a request (request id, field collector, upstream headers) are declared here, so that
    // every context has one shape from the start: a property added mid-request changes the object's
    // hidden class, and code reading the context then sees several shapes. (Rarer ones, such as
    // authorization's root-policy verdicts, are added by the requests that need them.)
    context: ({ request }): GatewayContext & Record<symbol, undefined> => ({ viewer: ANONYMOUS_VIEWER, request, requestId: undefined, [FIELD_COLLECTOR]: undefined, [UPSTREAM_HEADERS]: undefined }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.server.graphiql.enabled ? { title: 'Junction', defaultQuery: config.server.graphiql.defaultQuery } : false,
    // The inlined GraphiQL bundle costs ~80 MB of memory: load it on the first browser visit only.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    maskedErrors: { maskError: createErrorMasker(logger.child({ module: 'errors' })) },
    maxRequestBodySize: config.server.bodyLimitBytes,
    batching: config.limits.maxBatchedOperations > 0 ? { limit: config.limits.maxBatchedOperations } : false,
    multipart: false,
    logging: yogaLogger(logger.child({ module: 'yoga' })),
    plugins: gatewayPlugins({ config, logger, redis, auth, authz, graphs, upstreams, telemetry, isReady: () => !draining && graphs.store.current() !== undefined }),
  });

  let server: ListeningServer | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      await server?.close();
      await graphs.close();
      await upstreams.close();
      await yoga.dispose();
      await auth.close();
      // After the last request: the final usage flush still needs Redis.
      await telemetry?.close();
      await closeRedis(redis);
    })());

  const handleNodeRequest = (req: IncomingMessage, res: ServerResponse) => {
    // While draining, tell keep-alive clients to reconnect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    void yoga.requestListener(req, res);
  };

  return {
    config,
    logger,
    telemetry,
    fetch: yoga.fetch,
    handleNodeRequest,
    graph: () => graphs.store.current(),
    reload: () => graphs.reload(),
    async listen() {
      server = await listen({
        handler: handleNodeRequest,
        host: config.server.host,
        port: config.server.port,
        shutdownTimeoutMs: config.server.shutdownTimeoutMs,
      });
      logger.info({ url: server.url }, 'gateway listening');
      return server;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function yogaLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => logger.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => logger.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => logger.error({ args }, 'yoga'),
  };
}
