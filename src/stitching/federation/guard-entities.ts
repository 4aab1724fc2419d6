import { createGraphQLError, isAsyncIterable, type ExecutionRequest, type ExecutionResult, type Executor } from '@graphql-tools/utils';
import {
  isAbstractType, Kind, type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { RequestErrorCode } from '../../shared/errors.js';

interface EntitiesField {
  /** Response key of the `_entities` field (its alias when batched with others). */
  responseKey: string;
  /** Variable holding its representations. */
  variable: string;
}

const entitiesFieldsByDocument = new WeakMap<DocumentNode, EntitiesField[]>();

/**
 * Checks every `_entities` answer of a subgraph against the representations it was sent, before
 * stitching maps the items back by position: a list of the wrong length, an item of another type, a
 * non-object, or a null the subgraph did not explain with an error becomes null plus a field error
 * naming the service. Without this a short list silently nulls fields and an item of the wrong type
 * lends its fields to another entity.
 */
export function guardEntities(executor: Executor, { service, schema }: { service: string; schema: GraphQLSchema }): Executor {
  return (request: ExecutionRequest) => {
    const fields = entitiesFields(request.document);
    const result = executor(request);
    if (fields.length === 0) return result;
    return Promise.resolve(result).then((value) =>
      isAsyncIterable(value) ? value : checkEntities(value as ExecutionResult, fields, request.variables ?? {}, service, schema),
    );
  };
}

function checkEntities(
  result: ExecutionResult, fields: readonly EntitiesField[], variables: Record<string, unknown>, service: string, schema: GraphQLSchema,
): ExecutionResult {
  // A failed call (service down, timeout) carries its own error and no data: nothing to check.
  if (result.data == null && result.errors?.length) return result;
  const data: Record<string, unknown> = { ...result.data };
  const errors: GraphQLError[] = [...(result.errors ?? [])];
  const subgraphErrors = result.errors ?? [];
  const fail = (message: string, path: Array<string | number>) =>
    errors.push(createGraphQLError(`Service "${service}" ${message}`, { path, extensions: { code: RequestErrorCode.UPSTREAM_ERROR, service } }));
  for (const { responseKey, variable } of fields) {
    const representations = variables[variable];
    if (!Array.isArray(representations)) continue;
    const list = data[responseKey];
    // Errors the subgraph reported itself for this field (or for everything) already explain its nulls.
    const explained = (index?: number) =>
      subgraphErrors.some((e) => !e.path || e.path.length === 0 || (e.path[0] === responseKey && (e.path.length === 1 || e.path[1] === index)));
    if (!Array.isArray(list) || list.length !== representations.length) {
      data[responseKey] = representations.map(() => null);
      if (Array.isArray(list)) fail(`answered ${list.length} entities for ${representations.length} representations`, [responseKey]);
      else if (!explained()) fail('answered without the entities it was asked for', [responseKey]);
      continue;
    }
    const checked = list.slice();
    for (const [index, item] of checked.entries()) {
      const expected = (representations[index] as { __typename?: unknown } | null)?.__typename;
      if (item === null) {
        if (!explained(index)) fail(`returned no ${String(expected)} for a representation it was sent`, [responseKey, index]);
        continue;
      }
      const typename = typeof item === 'object' ? (item as { __typename?: unknown }).__typename : undefined;
      if (typeof item !== 'object' || Array.isArray(item) || (typename !== undefined && !compatible(schema, String(expected), String(typename)))) {
        checked[index] = null;
        fail(`returned ${typename === undefined ? 'an invalid value' : `a ${String(typename)}`} where a ${String(expected)} was requested`, [responseKey, index]);
      }
    }
    data[responseKey] = checked;
  }
  return { ...result, data, errors: errors.length ? errors : undefined };
}

/** The answer's type may be the representation's type, or one side an interface/union the other belongs to. */
function compatible(schema: GraphQLSchema, expected: string, actual: string): boolean {
  if (expected === actual) return true;
  const [a, b] = [schema.getType(expected), schema.getType(actual)];
  if (!a || !b) return false;
  if (isAbstractType(a) && !isAbstractType(b)) return schema.isSubType(a, b as never);
  if (isAbstractType(b) && !isAbstractType(a)) return schema.isSubType(b, a as never);
  return false;
}

function entitiesFields(document: DocumentNode): EntitiesField[] {
  let fields = entitiesFieldsByDocument.get(document);
  if (fields) return fields;
  fields = [];
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
    const arg = selection.arguments?.find((a) => a.name.value === 'representations');
    if (arg?.value.kind !== Kind.VARIABLE) continue;
    fields.push({ responseKey: selection.alias?.value ?? '_entities', variable: arg.value.name.value });
  }
  entitiesFieldsByDocument.set(document, fields);
  return fields;
}
