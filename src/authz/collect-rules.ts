import { Kind, parse, type DirectiveNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import type { ServiceDefinition } from '../registry/index.js';
import type { Problem } from '../shared/errors.js';
import type { Clause } from './clauses.js';
import { directiveNamesFor, readClauses, type AuthzDirective } from './read-directives.js';

/** A clause and the directive it was written as. */
export interface RuleEntry {
  clause: Clause;
  file: string;
  node: DirectiveNode;
  /** Written on a type (or a type extension) rather than on the field itself. */
  typeLevel: boolean;
  /** What it was written on: a type name or "Type.field". */
  target: string;
}

/** Every authorization directive of a set of SDLs, keyed by what it protects. */
export interface Rules {
  /** "Type.field" (object and interface types) -> clauses written on the field or on the type as that SDL defines it. */
  fields: Map<string, RuleEntry[]>;
  /** Type name -> clauses that apply to every field returning the type (type-level directives). */
  returns: Map<string, RuleEntry[]>;
  problems: Problem[];
}

export function emptyRules(): Rules {
  return { fields: new Map(), returns: new Map(), problems: [] };
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Reads the directives of every registered service's SDL (federation subgraphs with Apollo's names
 * for them). A directive on a type applies to the fields returning it (not for root types) and to
 * the fields this SDL defines on it: a team protects what it owns.
 */
export function collectServiceRules(services: readonly ServiceDefinition[], rules: Rules = emptyRules()): Rules {
  for (const service of services) {
    const federation = service.kind === 'federation';
    // The text, not `typeDefs`: stitching merges directive arguments into the AST nodes it was given
    // (in place), which would turn [["a"]] into [["a"], ["a"]], or worse, merge two services' scopes.
    const document = service.sdl === undefined ? service.typeDefs : parse(service.sdl);
    addDocument(rules, document, service.schemaFile, directiveNamesFor(document, federation), (type) => !type.startsWith('_') && !isInternal(type));
  }
  return rules;
}

/** Federation's own types (`_Service`, `join__*`, `link__*`) never carry rules. */
function isInternal(typeName: string): boolean {
  return typeName.startsWith('join__') || typeName.startsWith('link__');
}

/** Adds the rules of one SDL document. */
export function addDocument(
  rules: Rules, document: DocumentNode, file: string, names: ReadonlyMap<string, AuthzDirective>, wanted: (typeName: string) => boolean = () => true,
): void {
  const report = (node: DirectiveNode, message: string) => {
    const start = node.loc?.startToken;
    rules.problems.push({ file, line: start?.line, column: start?.column, message });
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const typeName = definition.name.value;
    if (!wanted(typeName)) continue;
    const typeRead = readClauses(definition.directives, names, typeName);
    for (const p of typeRead.problems) report(p.node, p.message);
    const typeEntries = typeRead.found.map((f): RuleEntry => ({ clause: f.clause, file, node: f.node, typeLevel: true, target: typeName }));
    if (typeEntries.length && !ROOTS.has(typeName)) push(rules.returns, typeName, typeEntries);
    const fields = 'fields' in definition && definition.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INPUT_OBJECT_TYPE_EXTENSION
      ? ((definition.fields ?? []) as readonly FieldDefinitionNode[])
      : [];
    for (const field of fields) {
      const coordinate = `${typeName}.${field.name.value}`;
      const read = readClauses(field.directives, names, coordinate);
      for (const p of read.problems) report(p.node, p.message);
      const entries = [...read.found.map((f): RuleEntry => ({ clause: f.clause, file, node: f.node, typeLevel: false, target: coordinate })), ...typeEntries];
      if (entries.length) push(rules.fields, coordinate, entries);
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, values: readonly V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}
