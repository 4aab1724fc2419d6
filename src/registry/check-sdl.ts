import {
  getNamedType, isInterfaceType, isListType, isNonNullType, isObjectType, Kind,
  valueFromASTUntyped, type ASTNode, type DirectiveNode, type FieldDefinitionNode, type GraphQLField,
  type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { parseSelectionSet } from '@graphql-tools/utils';
import type { Problem } from '../shared/errors.js';
import type { ServiceKind } from './service-manifest.js';
import { parseQueryTemplate, parseTemplate, placeholdersOf, TemplateSyntaxError, type TemplatePart } from './template.js';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const REST_ONLY = new Set(['http', 'json', 'ref']);

interface CheckInput {
  file: string;
  kind: ServiceKind;
  schema: GraphQLSchema;
}

/**
 * Checks that every stitching and REST directive in a registered SDL refers to things that exist,
 * reporting each finding at the directive's line. graphql-js has already checked the SDL itself.
 */
export function checkRegisteredSdl({ file, kind, schema }: CheckInput): Problem[] {
  const problems: Problem[] = [];
  const report = (node: ASTNode | undefined, message: string) => {
    const start = node?.loc?.startToken;
    problems.push({ file, line: start?.line, column: start?.column, message });
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const directive of type.astNode?.directives ?? []) {
      if (directive.name.value === 'key') {
        checkSelectionSet(schema, type, stringArg(directive, 'selectionSet'), directive, `@key on ${type.name}`, report);
      }
    }
    for (const field of Object.values(type.getFields())) {
      for (const directive of field.astNode?.directives ?? []) {
        const name = directive.name.value;
        const where = `@${name} on ${type.name}.${field.name}`;
        if (REST_ONLY.has(name) && kind !== 'rest') {
          report(directive, `${where}: @${name} is only allowed in services of kind "rest"`);
          continue;
        }
        if (name === 'merge') checkMerge(field, directive, where, report);
        if (name === 'computed') checkSelectionSet(schema, type, stringArg(directive, 'selectionSet'), directive, where, report);
        if (name === 'http') checkHttp(schema, type, field, directive, where, report);
        if (name === 'ref') checkRef(field, directive, where, report);
      }
    }
  }
  return problems;
}

type Report = (node: ASTNode | undefined, message: string) => void;

function checkSelectionSet(
  schema: GraphQLSchema, type: GraphQLNamedType, text: string | undefined, node: DirectiveNode, where: string, report: Report,
): void {
  if (text === undefined) return report(node, `${where}: selectionSet is required`);
  let selectionSet: SelectionSetNode;
  try {
    selectionSet = parseSelectionSet(text);
  } catch (error) {
    return report(node, `${where}: selectionSet "${text}" is not valid GraphQL: ${(error as Error).message}`);
  }
  walkSelections(schema, type, selectionSet, node, where, report);
}

function walkSelections(
  schema: GraphQLSchema, type: GraphQLNamedType, selectionSet: SelectionSetNode, node: DirectiveNode, where: string, report: Report,
): void {
  if (!(isObjectType(type) || isInterfaceType(type))) return;
  const fields = type.getFields();
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = fields[selection.name.value];
    if (!field) {
      report(node, `${where}: selectionSet refers to missing field ${type.name}.${selection.name.value}`);
      continue;
    }
    if (selection.selectionSet) walkSelections(schema, getNamedType(field.type), selection.selectionSet, node, where, report);
  }
}

function checkMerge(field: GraphQLField<unknown, unknown>, directive: DirectiveNode, where: string, report: Report): void {
  const returned = getNamedType(field.type);
  const keyField = stringArg(directive, 'keyField');
  if (keyField !== undefined && (isObjectType(returned) || isInterfaceType(returned)) && !returned.getFields()[keyField]) {
    report(directive, `${where}: keyField "${keyField}" is not a field of ${returned.name}`);
  }
  const keyArg = stringArg(directive, 'keyArg');
  if (keyArg !== undefined && !field.args.some((arg) => arg.name === keyArg.split('.')[0])) {
    report(directive, `${where}: keyArg "${keyArg}" is not an argument of ${field.name}`);
  }
  if (keyField !== undefined && keyArg === undefined && stringArg(directive, 'argsExpr') === undefined && field.args.length !== 1) {
    report(directive, `${where}: with keyField and several arguments, name the key argument with keyArg`);
  }
}

function checkHttp(
  schema: GraphQLSchema, type: GraphQLNamedType, field: GraphQLField<unknown, unknown>, directive: DirectiveNode, where: string, report: Report,
): void {
  const method = (stringArg(directive, 'method') ?? 'GET').toUpperCase();
  if (!HTTP_METHODS.has(method)) report(directive, `${where}: method "${method}" is not one of ${[...HTTP_METHODS].join(', ')}`);
  const isRoot = type === schema.getQueryType() || type === schema.getMutationType();
  const templates: Array<[string, () => TemplatePart[]]> = [];
  const path = stringArg(directive, 'path');
  if (path !== undefined) {
    if (!path.startsWith('/')) report(directive, `${where}: path "${path}" must start with /`);
    templates.push(['path', () => parseTemplate(path)]);
  }
  const query = stringArg(directive, 'query');
  if (query !== undefined) templates.push(['query', () => parseQueryTemplate(query).flatMap((p) => p.value)]);
  const body = stringArg(directive, 'body');
  if (body !== undefined) {
    templates.push(['body', () => parseTemplate(body)]);
    const parts = safe(() => parseTemplate(body));
    if (parts && (parts.length !== 1 || typeof parts[0] === 'string')) {
      report(directive, `${where}: body must be a single placeholder such as "{args.input}"`);
    }
  }
  const batch = stringArg(directive, 'batch');
  if (batch !== undefined) {
    templates.push(['batch', () => parseQueryTemplate(batch).flatMap((p) => p.value)]);
    if (isRoot) report(directive, `${where}: batch is for fields of entity types, not root fields`);
    if (stringArg(directive, 'matchBy') === undefined) report(directive, `${where}: batch needs matchBy (the response field naming each item's key)`);
    const params = safe(() => parseQueryTemplate(batch));
    if (params && (params.length !== 1 || placeholdersOf(params[0]?.value ?? []).length !== 1)) {
      report(directive, `${where}: batch must be one parameter with one placeholder, e.g. "ids={parent.id}"`);
    }
  }
  const parentFields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
  for (const [name, parse] of templates) {
    let parts: TemplatePart[];
    try {
      parts = parse();
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      report(directive, `${where}: ${name}: ${error.message}`);
      continue;
    }
    for (const placeholder of placeholdersOf(parts)) {
      const head = placeholder.path[0] ?? '';
      if (placeholder.scope === 'args' && !field.args.some((arg) => arg.name === head)) {
        report(directive, `${where}: ${name} refers to {args.${head}}, but ${field.name} has no argument "${head}"`);
      }
      if (placeholder.scope === 'parent') {
        if (isRoot) report(directive, `${where}: ${name} refers to {parent.${head}}, but root fields have no parent`);
        else if (!parentFields[head]) report(directive, `${where}: ${name} refers to {parent.${head}}, but ${type.name} has no field "${head}"`);
      }
    }
  }
}

function checkRef(field: GraphQLField<unknown, unknown>, directive: DirectiveNode, where: string, report: Report): void {
  const target = getNamedType(field.type);
  const keyField = stringArg(directive, 'field') ?? 'id';
  if (!isObjectType(target)) return report(directive, `${where}: @ref needs an object type, ${target.name} is not one`);
  if (!target.getFields()[keyField]) report(directive, `${where}: ${target.name} has no key field "${keyField}"`);
  const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (isListType(unwrapped) && isListType(getNamedType(unwrapped))) report(directive, `${where}: nested lists are not supported`);
}

export function stringArg(directive: DirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const value = valueFromASTUntyped(arg.value);
  return typeof value === 'string' ? value : undefined;
}

export function fieldDirective(node: FieldDefinitionNode | undefined | null, name: string): DirectiveNode | undefined {
  return node?.directives?.find((d) => d.name.value === name);
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
