import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildASTSchema, concatAST, GraphQLError, parse, validateSchema, type DocumentNode, type GraphQLSchema,
} from 'graphql';
import { validateSDL } from 'graphql/validation/validate.js';
import { validateYaml } from '../config/index.js';
import { ErrorCode, JunctionError, type Problem } from '../shared/errors.js';
import { checkRegisteredSdl } from './check-sdl.js';
import { readFederationSdl } from './federation-sdl.js';
import { directiveDefinitionsFor, stitching } from './registered-directives.js';
import { serviceManifestSchema, type ServiceManifest } from './service-manifest.js';

export const MANIFEST_FILE = 'service.yaml';
export const SCHEMA_FILE = 'schema.graphql';

/** One registered service, validated: its manifest plus its SDL as a (non-executable) schema. */
export interface ServiceDefinition extends ServiceManifest {
  manifestFile: string;
  schemaFile: string;
  /** The registered SDL with the gateway's directive definitions added (federation: the subgraph SDL as written). */
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
  /**
   * The SDL text as the team wrote it. Read this, not `typeDefs`, for the directives as written:
   * stitching merges directive arguments into the AST nodes of the schemas it stitches, in place.
   */
  sdl?: string;
}

/**
 * Reads `<dir>/<service>/{service.yaml,schema.graphql}` for every service folder and validates all of
 * them, collecting every problem before failing so one `junction check` run lists them all.
 */
export async function loadRegistry(dir: string): Promise<ServiceDefinition[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new JunctionError(ErrorCode.REGISTRY_INVALID, `Cannot read registry folder ${dir}: ${(error as Error).message}`);
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const problems: Problem[] = [];
  const services: ServiceDefinition[] = [];
  for (const folder of folders) {
    const result = await loadService(join(dir, folder), folder);
    if ('problems' in result) problems.push(...result.problems);
    else services.push(result.service);
  }
  if (folders.length === 0) problems.push({ file: dir, message: 'no services registered (expected <service>/service.yaml folders)' });
  const seen = new Map<string, string>();
  for (const service of services) {
    const other = seen.get(service.name);
    if (other) problems.push({ file: service.manifestFile, message: `service name "${service.name}" is already used by ${other}` });
    seen.set(service.name, service.manifestFile);
  }
  if (problems.length > 0) throw new JunctionError(ErrorCode.REGISTRY_INVALID, `Invalid service registry ${dir}`, problems);
  return services;
}

async function loadService(dir: string, folder: string): Promise<{ service: ServiceDefinition } | { problems: Problem[] }> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const schemaFile = join(dir, SCHEMA_FILE);
  const [manifestText, sdlText] = await Promise.all([readOptional(manifestFile), readOptional(schemaFile)]);
  const problems: Problem[] = [];
  if (manifestText === undefined) problems.push({ file: manifestFile, message: 'missing: every service folder needs a service.yaml' });
  if (sdlText === undefined) problems.push({ file: schemaFile, message: 'missing: every service folder needs a schema.graphql' });
  if (manifestText === undefined || sdlText === undefined) return { problems };

  const manifest = validateYaml(serviceManifestSchema, manifestText, manifestFile);
  if (!manifest.ok) return { problems: manifest.problems };
  if (manifest.value.name !== folder) {
    return { problems: [{ file: manifestFile, message: `name "${manifest.value.name}" must match its folder name "${folder}"` }] };
  }
  if (manifest.value.kind === 'federation') {
    // Subgraph SDL speaks Federation's directives, not the stitching ones: composition validates it.
    const subgraph = readFederationSdl(sdlText, schemaFile);
    if ('problems' in subgraph) return subgraph;
    return { service: { ...manifest.value, manifestFile, schemaFile, ...subgraph, sdl: sdlText } };
  }
  const built = buildRegisteredSchema(sdlText, schemaFile);
  if ('problems' in built) return built;
  const sdlProblems = checkRegisteredSdl({ file: schemaFile, kind: manifest.value.kind, schema: built.schema });
  if (sdlProblems.length > 0) return { problems: sdlProblems };
  try {
    stitching.stitchingDirectivesValidator(built.schema);
  } catch (error) {
    return { problems: [{ file: schemaFile, message: (error as Error).message }] };
  }
  return { service: { ...manifest.value, manifestFile, schemaFile, typeDefs: built.typeDefs, schema: built.schema, sdl: sdlText } };
}

function buildRegisteredSchema(
  text: string, file: string,
): { schema: GraphQLSchema; typeDefs: DocumentNode } | { problems: Problem[] } {
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: false });
  } catch (error) {
    return { problems: [graphqlProblem(error, file, 'SDL syntax error')] };
  }
  const typeDefs = concatAST([directiveDefinitionsFor(document), document]);
  const sdlErrors = validateSDL(typeDefs);
  if (sdlErrors.length > 0) return { problems: sdlErrors.map((e) => graphqlProblem(e, file, 'invalid SDL')) };
  const schema = buildASTSchema(typeDefs, { assumeValidSDL: true });
  const schemaErrors = validateSchema(schema);
  if (schemaErrors.length > 0) return { problems: schemaErrors.map((e) => graphqlProblem(e, file, 'invalid schema')) };
  if (!schema.getQueryType()) return { problems: [{ file, message: 'invalid schema: a service must define type Query' }] };
  return { schema, typeDefs };
}

function graphqlProblem(error: unknown, file: string, label: string): Problem {
  if (error instanceof GraphQLError) {
    const location = error.locations?.[0];
    return { file, line: location?.line, column: location?.column, message: `${label}: ${error.message.replace(/^Syntax Error: /, '')}` };
  }
  return { file, message: `${label}: ${(error as Error).message}` };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
