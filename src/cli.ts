import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAuthorization, protectedFields } from './authz/index.js';
import { createUpstreams } from './balancing/index.js';
import { loadConfig, type GatewayConfigInput } from './config/index.js';
import { createGateway } from './server/index.js';
import { formatProblem, JunctionError } from './shared/errors.js';
import { createGraphManager } from './stitching/index.js';
import { createLogger, formatUsageReport, parseDuration, USAGE_PATH, type UsageReport } from './telemetry/index.js';

const USAGE = `Usage:
  junction serve [--registry DIR] [--supergraph FILE] [--port N] [--host H] [--config FILE]
      Run the gateway. PORT, HOST and JUNCTION_CONFIG are read from the environment too.
      --supergraph serves a composed Apollo Federation supergraph (as Apollo Router and Hive Gateway read);
      the registry's services, if any, join the same graph.
  junction check [--registry DIR] [--supergraph FILE] [--config FILE]
      Validate every registered service, the federation composition and the stitched graph; exit 1 on any problem.
  junction usage [--since 1h] [--client ID] [--operation NAME] [--limit N] [--url URL] [--json] [--config FILE]
      Usage report of a running gateway (GET /admin/usage): top clients, operations and fields, slowest
      fields, error rates per service, fields nobody requested. The admin token comes from
      JUNCTION_ADMIN_TOKEN or telemetry.admin.token; --url defaults to the configured host and port.
`;

// Standard output is written with plain blocking writes, never through process.stdout: Node turns a
// piped stdout non-blocking when process.stdout is first used, and the logger's synchronous writes to
// the same pipe would then hit EAGAIN (and sleep) whenever the log reader lags.
const out = (text: string) => {
  try {
    writeSync(1, `${text}\n`);
  } catch (error) {
    // A reader that went away (`junction usage | head`) is not an error of ours.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
};
const err = (text: string) => process.stderr.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      registry: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      supergraph: { type: 'string' },
      since: { type: 'string' },
      client: { type: 'string' },
      operation: { type: 'string' },
      limit: { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const overrides = cliOverrides(values);
  const configFile = values.config ?? process.env['JUNCTION_CONFIG'];
  if (command === 'check') return check(configFile, overrides);
  if (command === 'serve') return serve(configFile, overrides);
  if (command === 'usage') return usage(configFile, overrides, values);
  err(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

function cliOverrides(values: { registry?: string; port?: string; host?: string; supergraph?: string }): GatewayConfigInput {
  const portText = values.port ?? process.env['PORT'];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !Number.isInteger(port)) throw new JunctionError('JNC_CONFIG_INVALID', `--port / PORT must be an integer, got "${portText}"`);
  const redisUrl = process.env['REDIS_URL'];
  const adminToken = process.env['JUNCTION_ADMIN_TOKEN'];
  return {
    registry: values.registry,
    server: { port, host: values.host ?? process.env['HOST'] },
    redis: redisUrl ? { url: redisUrl } : undefined,
    federation: values.supergraph ? { supergraph: resolve(values.supergraph) } : undefined,
    balancing: { region: process.env['JUNCTION_REGION'] || undefined, admin: { token: adminToken || undefined } },
    telemetry: adminToken ? { admin: { token: adminToken } } : undefined,
  };
}

async function check(configFile: string | undefined, overrides: GatewayConfigInput): Promise<number> {
  const config = await loadConfig({ file: configFile, overrides: { ...overrides, server: undefined } });
  // Build the graph exactly as serve would, without touching the network: fetchers are created, never called nor probed.
  const logger = createLogger({ level: 'silent' });
  // Directives naming policies the configuration lacks are errors here (serve denies those fields).
  const authz = await createAuthorization({ config: config.authz, logger, unknownPolicies: 'error' });
  const upstreams = createUpstreams({ healthChecks: false });
  const graphs = createGraphManager({
    registryDir: config.registry, upstreams, logger, drainMs: 0, federation: config.federation, schemaTransforms: [authz.transform],
  });
  try {
    const graph = await graphs.start();
    const types = Object.keys(graph.schema.getTypeMap()).filter((t) => !t.startsWith('__')).length;
    for (const s of graph.services) out(`ok  ${s.name} (${s.kind}, ${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'})`);
    if (config.federation.supergraph) out(`ok  supergraph: ${config.federation.supergraph}`);
    out(`ok  graph: ${graph.services.length} services stitched, ${types} types`);
    if (authz.enabled) out(`ok  authorization: ${protectedFields(graph.schema).length} protected fields`);
    return 0;
  } finally {
    await graphs.close();
    await upstreams.close();
  }
}

interface UsageFlags {
  since?: string;
  client?: string;
  operation?: string;
  limit?: string;
  url?: string;
  json?: boolean;
}

async function usage(configFile: string | undefined, overrides: GatewayConfigInput, flags: UsageFlags): Promise<number> {
  const config = await loadConfig({ file: configFile, overrides });
  if (flags.since !== undefined && parseDuration(flags.since) === undefined) {
    err(`--since: expected a duration like 15m, 1h or 7d, got "${flags.since}"`);
    return 2;
  }
  const host = ['0.0.0.0', '::'].includes(config.server.host) ? '127.0.0.1' : config.server.host;
  const base = flags.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}`;
  const url = new URL(USAGE_PATH, base);
  for (const key of ['since', 'client', 'operation', 'limit'] as const) if (flags[key] !== undefined) url.searchParams.set(key, flags[key]);
  const token = config.telemetry.admin.token;
  let response: Response;
  try {
    response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    err(`cannot reach the gateway at ${url.origin}: ${(error as Error).message}`);
    return 1;
  }
  const body = await response.text();
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? ' (set JUNCTION_ADMIN_TOKEN to the gateway\'s telemetry.admin.token)' : '';
    err(`the gateway answered ${response.status}: ${body.slice(0, 300)}${hint}`);
    return 1;
  }
  out(flags.json ? body : formatUsageReport(JSON.parse(body) as UsageReport));
  return 0;
}

async function serve(configFile: string | undefined, overrides: GatewayConfigInput): Promise<number> {
  const config = await loadConfig({ file: configFile, overrides });
  const logger = createLogger({ level: config.logging.level });
  const gateway = await createGateway({ config, logger });
  const server = await gateway.listen();
  out(`Junction is serving ${gateway.graph()?.services.length} services. GraphiQL: ${server.url}/graphql`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      void gateway.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  logger.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof JunctionError) {
      err(`error ${error.code}: ${error.message.split('\n')[0]}`);
      for (const problem of error.problems) err(`  ${formatProblem(problem)}`);
    } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      err(`${error.message}\n\n${USAGE}`);
    } else {
      err(`error: ${(error as Error).stack ?? String(error)}`);
    }
    process.exitCode = 1;
  },
);
