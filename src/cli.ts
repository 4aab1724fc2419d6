import { parseArgs } from 'node:util';
import { createUpstreams } from './balancing/index.js';
import { loadConfig, type GatewayConfigInput } from './config/index.js';
import { loadRegistry } from './registry/index.js';
import { createGateway } from './server/index.js';
import { formatProblem, JunctionError } from './shared/errors.js';
import { buildGraph } from './stitching/index.js';
import { createLogger } from './telemetry/index.js';

const USAGE = `Usage:
  junction serve [--registry DIR] [--port N] [--host H] [--config FILE]
      Run the gateway. PORT, HOST and JUNCTION_CONFIG are read from the environment too.
  junction check [--registry DIR] [--config FILE]
      Validate every registered service and the stitched graph; exit 1 on any problem.
`;

const out = (text: string) => process.stdout.write(`${text}\n`);
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
    },
    strict: true,
  });
  const overrides = cliOverrides(values);
  const configFile = values.config ?? process.env['JUNCTION_CONFIG'];
  if (command === 'check') return check(configFile, overrides);
  if (command === 'serve') return serve(configFile, overrides);
  err(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

function cliOverrides(values: { registry?: string; port?: string; host?: string }): GatewayConfigInput {
  const portText = values.port ?? process.env['PORT'];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !Number.isInteger(port)) throw new JunctionError('JNC_CONFIG_INVALID', `--port / PORT must be an integer, got "${portText}"`);
  const redisUrl = process.env['REDIS_URL'];
  return {
    registry: values.registry,
    server: { port, host: values.host ?? process.env['HOST'] },
    redis: redisUrl ? { url: redisUrl } : undefined,
    balancing: { region: process.env['JUNCTION_REGION'] || undefined, admin: { token: process.env['JUNCTION_ADMIN_TOKEN'] || undefined } },
  };
}

async function check(configFile: string | undefined, overrides: GatewayConfigInput): Promise<number> {
  const config = await loadConfig({ file: configFile, overrides: { ...overrides, server: undefined } });
  const services = await loadRegistry(config.registry);
  // Stitch without touching the network: the fetchers are created but never called, nor probed.
  const upstreams = createUpstreams({ healthChecks: false });
  try {
    const graph = buildGraph({ services, fetcherFor: (s) => upstreams.fetcherFor(s) });
    const types = Object.keys(graph.schema.getTypeMap()).filter((t) => !t.startsWith('__')).length;
    for (const s of services) out(`ok  ${s.name} (${s.kind}, ${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'})`);
    out(`ok  graph: ${services.length} services stitched, ${types} types`);
    return 0;
  } finally {
    await upstreams.close();
  }
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
