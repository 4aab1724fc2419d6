import { readFileSync } from 'node:fs';
import {
  GraphQLError, isInterfaceType, isObjectType, Kind, parse, print, type ASTNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema,
} from 'graphql';
import type { Problem } from '../shared/errors.js';
import { directiveNamesFor, readClauses } from './read-directives.js';
import type { RuleEntry, Rules } from './collect-rules.js';

const TYPE_KINDS: Partial<Record<Kind, string>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'object', [Kind.OBJECT_TYPE_EXTENSION]: 'object',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface', [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar', [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum', [Kind.ENUM_TYPE_EXTENSION]: 'enum',
};
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Reads the gateway-level overlay: directives for types and fields of the stitched graph, for
 * services whose SDL cannot carry them. Fields repeat their type as the graph has it (checked, so an
 * overlay written for an older graph is noticed); arguments may be left out. A directive on a type
 * here applies to every field of that type in the graph, and (except on Query/Mutation) to every field
 * returning it.
 */
export function addOverlay(rules: Rules, file: string, schema: GraphQLSchema): void {
  const problem = (node: ASTNode | undefined, message: string) => {
    const start = node?.loc?.startToken;
    rules.problems.push({ file, line: start?.line, column: start?.column, message } satisfies Problem);
  };
  let document: DocumentNode;
  try {
    const text = readFileSync(file, 'utf8');
    // An overlay with no rules (yet) is fine; GraphQL would call an empty document a syntax error.
    if (!text.replace(/#.*$/gm, '').trim()) return;
    document = parse(text);
  } catch (error) {
    if (error instanceof GraphQLError) return problem(undefined, `SDL syntax error: ${error.message.replace(/^Syntax Error: /, '')} (line ${error.locations?.[0]?.line})`);
    return problem(undefined, `cannot read the overlay: ${(error as Error).message}`);
  }
  const names = directiveNamesFor(document, false);
  for (const definition of document.definitions) {
    const kind = TYPE_KINDS[definition.kind];
    if (!kind || !('name' in definition) || !definition.name) {
      problem(definition, 'the overlay holds only types and type extensions (object, interface, scalar, enum)');
      continue;
    }
    const typeName = definition.name.value;
    const type = schema.getType(typeName);
    if (!type) {
      problem(definition, `type ${typeName} is not in the graph`);
      continue;
    }
    const actualKind = isObjectType(type) ? 'object' : isInterfaceType(type) ? 'interface' : type.astNode ? TYPE_KINDS[type.astNode.kind] : undefined;
    if (actualKind && actualKind !== kind) problem(definition, `${typeName} is ${article(actualKind)} in the graph, not ${article(kind)}`);
    for (const directive of definition.directives ?? []) if (!names.has(directive.name.value)) problem(directive, `@${directive.name.value} on ${typeName}: only @authenticated, @requiresScopes, @hasRole and @policy belong in the overlay`);
    const typeRead = readClauses(definition.directives, names, typeName);
    for (const p of typeRead.problems) problem(p.node, p.message);
    const typeEntries = typeRead.found.map((f): RuleEntry => ({ clause: f.clause, file, node: f.node, typeLevel: true, target: typeName }));
    const graphFields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    if (typeEntries.length) {
      if (!ROOTS.has(typeName)) push(rules.returns, typeName, typeEntries);
      for (const fieldName of Object.keys(graphFields)) push(rules.fields, `${typeName}.${fieldName}`, typeEntries);
    }
    const fields = 'fields' in definition ? ((definition.fields ?? []) as readonly FieldDefinitionNode[]) : [];
    for (const field of fields) {
      const coordinate = `${typeName}.${field.name.value}`;
      const graphField = graphFields[field.name.value];
      if (!graphField) {
        problem(field, `${coordinate} is not in the graph`);
        continue;
      }
      if (print(field.type) !== String(graphField.type)) problem(field.type, `${coordinate} is ${String(graphField.type)} in the graph, not ${print(field.type)}`);
      for (const directive of field.directives ?? []) if (!names.has(directive.name.value)) problem(directive, `@${directive.name.value} on ${coordinate}: only @authenticated, @requiresScopes, @hasRole and @policy belong in the overlay`);
      const read = readClauses(field.directives, names, coordinate);
      for (const p of read.problems) problem(p.node, p.message);
      push(rules.fields, coordinate, read.found.map((f): RuleEntry => ({ clause: f.clause, file, node: f.node, typeLevel: false, target: coordinate })));
    }
  }
}

const article = (kind: string) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;

function push<K, V>(map: Map<K, V[]>, key: K, values: readonly V[]): void {
  if (!values.length) return;
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}
