import { createDefaultExecutor, type SubschemaConfig } from '@graphql-tools/delegate';
import { stitchSchemas, ValidationLevel } from '@graphql-tools/stitch';
import { filterSchema, pruneSchema } from '@graphql-tools/utils';
import { GraphQLSchema, isSpecifiedDirective, type GraphQLSchema as Schema } from 'graphql';
import type { BalancedFetcher } from '../balancing/index.js';
import { registeredDirectiveNames, stitching, type ServiceDefinition } from '../registry/index.js';
import { ErrorCode, JunctionError, type Problem } from '../shared/errors.js';
import { createGraphQLExecutor, createRestClient, type UpstreamHeadersHook } from '../transports/index.js';
import { buildRestSchema } from './rest/build-rest-schema.js';

export interface BuildGraphOptions {
  services: readonly ServiceDefinition[];
  fetcherFor: (service: ServiceDefinition) => BalancedFetcher;
  /** Per-request headers for every upstream call (identity, trace context). */
  upstreamHeaders?: UpstreamHeadersHook;
}

/** A stitched graph: the schema clients query and the services it was built from. */
export interface Graph {
  readonly schema: GraphQLSchema;
  readonly services: readonly ServiceDefinition[];
  readonly version: number;
  readonly builtAt: Date;
}

let versions = 0;

/**
 * Stitches the registered services into one graph. Nothing is fetched: the registered SDL is the
 * contract, so a service that is down at start-up only fails the fields it owns.
 */
export function buildGraph({ services, fetcherFor, upstreamHeaders }: BuildGraphOptions): Graph {
  const subschemas = services.map((service): SubschemaConfig => {
    const fetcher = fetcherFor(service);
    if (service.kind === 'rest') {
      const schema = buildRestSchema(service, createRestClient({ service: service.name, fetcher, headers: upstreamHeaders }));
      return { name: service.name, schema, executor: createDefaultExecutor(schema) };
    }
    return {
      name: service.name,
      schema: service.schema,
      executor: createGraphQLExecutor({ service: service.name, fetcher, headers: upstreamHeaders }),
      // Root fields requested in the same tick go out as one request.
      batch: true,
    };
  });
  let stitched: Schema;
  try {
    stitched = stitchSchemas({
      subschemas,
      subschemaConfigTransforms: [stitching.stitchingDirectivesTransformer],
      typeMergingOptions: { validationSettings: { validationLevel: ValidationLevel.Error } },
    });
  } catch (error) {
    throw new JunctionError(ErrorCode.COMPOSITION_FAILED, 'The registered services cannot be stitched into one graph', [
      compositionProblem(error as Error, services),
    ]);
  }
  return { schema: publicSchema(stitched), services, version: ++versions, builtAt: new Date() };
}

/**
 * Hides what only the gateway needs: root fields starting with `_` (merge entry points such as
 * `_usersByIds`) and the registry's directive definitions.
 */
function publicSchema(schema: GraphQLSchema): GraphQLSchema {
  const rootNames = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : [])),
  );
  const filtered = filterSchema({
    schema,
    rootFieldFilter: (_operation, fieldName) => !fieldName.startsWith('_'),
    typeFilter: (typeName) => !typeName.startsWith('_') || rootNames.has(typeName),
  });
  const config = filtered.toConfig();
  const directives = config.directives.filter((d) => isSpecifiedDirective(d) || !registeredDirectiveNames.has(d.name));
  return pruneSchema(new GraphQLSchema({ ...config, directives }));
}

/** Points a stitching error at the schema files that define the types it names. */
function compositionProblem(error: Error, services: readonly ServiceDefinition[]): Problem {
  const typeNames = new Set([...error.message.matchAll(/"([A-Za-z_]\w*)(?:\.\w+)?"/g)].map((m) => m[1]!));
  const files = services.filter((s) => [...typeNames].some((name) => s.schema.getType(name))).map((s) => s.schemaFile);
  return { file: files.length ? files.join(', ') : '(registry)', message: error.message };
}
