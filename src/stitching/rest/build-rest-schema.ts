import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  getNullableType, isListType, type GraphQLFieldConfig, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import { fieldDirective, parseQueryTemplate, parseTemplate, stringArg, type ServiceDefinition } from '../../registry/index.js';
import type { RestClient } from '../../transports/index.js';
import { createBatchedHttpResolver } from './batched-http-resolver.js';
import { createHttpResolver } from './http-resolver.js';
import { valueAt } from './render-template.js';

/**
 * Turns a REST service's registered SDL into an executable schema whose resolvers make the HTTP calls
 * its `@http` directives describe. The gateway stitches this schema like any GraphQL service's; it runs
 * in the gateway process.
 */
export function buildRestSchema(service: ServiceDefinition, client: RestClient): GraphQLSchema {
  const rootNames = new Set([service.schema.getQueryType()?.name, service.schema.getMutationType()?.name]);
  return mapSchema(service.schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const resolve = resolverFor(fieldConfig, `${typeName}.${fieldName}`, rootNames.has(typeName), client);
      return resolve ? { ...fieldConfig, resolve } : fieldConfig;
    },
  });
}

function resolverFor(
  field: GraphQLFieldConfig<unknown, unknown>, coordinate: string, isRoot: boolean, client: RestClient,
): GraphQLFieldResolver<unknown, unknown> | undefined {
  const node = field.astNode;
  const returnsList = isListType(getNullableType(field.type));
  const http = fieldDirective(node, 'http');
  const merge = fieldDirective(node, 'merge');
  const mergeKeyField = merge ? stringArg(merge, 'keyField') : undefined;
  if (http) {
    const spec = {
      coordinate,
      method: (stringArg(http, 'method') ?? 'GET').toUpperCase(),
      path: parseTemplate(stringArg(http, 'path') ?? '/'),
      query: parseQueryTemplate(stringArg(http, 'query') ?? ''),
      body: stringArg(http, 'body'),
      select: stringArg(http, 'select')?.split('.'),
      returnsList,
    };
    const batch = stringArg(http, 'batch');
    if (batch !== undefined) {
      const [param] = parseQueryTemplate(batch);
      return createBatchedHttpResolver(client, { ...spec, batch: param!, matchBy: (stringArg(http, 'matchBy') ?? 'id').split('.') });
    }
    return createHttpResolver(client, { ...spec, mergeKeyField: isRoot ? mergeKeyField : undefined });
  }
  if (merge && isRoot && mergeKeyField) return stubResolver(mergeKeyField, merge && stringArg(merge, 'keyArg'));
  const ref = fieldDirective(node, 'ref');
  if (ref) return refResolver((stringArg(ref, 'from') ?? '').split('.'), stringArg(ref, 'field') ?? 'id');
  const json = fieldDirective(node, 'json');
  if (json) {
    const path = (stringArg(json, 'path') ?? '').split('.');
    return (parent) => valueAt(parent, path);
  }
  return undefined;
}

/**
 * A merge entry point without `@http`: the service extends an entity it does not store (e.g. orders
 * adds `User.orders`), so the entity is just its key; its fields make the actual calls.
 */
function stubResolver(keyField: string, keyArg: string | undefined): GraphQLFieldResolver<unknown, unknown> {
  return (_parent, args: Record<string, unknown>) => {
    const keys = keyArg ? args[keyArg] : Object.values(args).find(Array.isArray);
    return Array.isArray(keys) ? keys.map((key) => ({ [keyField]: key })) : { [keyField]: keys };
  };
}

function refResolver(from: string[], keyField: string): GraphQLFieldResolver<unknown, unknown> {
  return (parent) => {
    const value = valueAt(parent, from);
    if (value === undefined || value === null) return null;
    return Array.isArray(value) ? value.map((key) => ({ [keyField]: key })) : { [keyField]: value };
  };
}
