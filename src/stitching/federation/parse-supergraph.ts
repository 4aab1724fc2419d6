import { readFile } from 'node:fs/promises';
import { type GraphQLError, Kind, parse, valueFromASTUntyped, type DocumentNode } from 'graphql';
import { ErrorCode, JunctionError } from '../../shared/errors.js';

/** One subgraph as a supergraph names it: `enum join__Graph { ACCOUNTS @join__graph(name: "accounts", url: "...") }`. */
export interface SupergraphSubgraph {
  /** Its name (`@join__graph(name:)`): how services, logs, errors and config refer to it. */
  name: string;
  /** The `join__Graph` enum value, e.g. `ACCOUNTS`: what @graphql-tools/federation calls it. */
  enumValue: string;
  /** The routing URL written in the supergraph, if any. */
  url?: string;
}

export interface ParsedSupergraph {
  /** Where it came from (a file path, or a label), for error messages. */
  source: string;
  sdl: string;
  document: DocumentNode;
  subgraphs: SupergraphSubgraph[];
}

/** Reads a composed supergraph SDL file (the file Apollo Router and Hive Gateway read). */
export async function readSupergraphFile(file: string): Promise<ParsedSupergraph> {
  let sdl: string;
  try {
    sdl = await readFile(file, 'utf8');
  } catch (error) {
    throw new JunctionError(ErrorCode.SUPERGRAPH_INVALID, `Cannot read supergraph file ${file}: ${(error as Error).message}`);
  }
  return parseSupergraph(sdl, file);
}

/** Parses a supergraph SDL and lists its subgraphs; a subgraph SDL or a public schema is refused with a clear message. */
export function parseSupergraph(sdl: string, source: string): ParsedSupergraph {
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    const location = (error as GraphQLError).locations?.[0];
    throw new JunctionError(ErrorCode.SUPERGRAPH_INVALID, `Invalid supergraph ${source}`, [
      { file: source, line: location?.line, column: location?.column, message: `SDL syntax error: ${(error as Error).message.replace(/^Syntax Error: /, '')}` },
    ]);
  }
  const graphEnum = document.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (!graphEnum || graphEnum.kind !== Kind.ENUM_TYPE_DEFINITION || !graphEnum.values?.length) {
    throw new JunctionError(ErrorCode.SUPERGRAPH_INVALID, `Invalid supergraph ${source}`, [
      { file: source, message: 'not a composed supergraph: it has no join__Graph enum (a subgraph SDL is registered with kind: federation instead)' },
    ]);
  }
  const subgraphs = graphEnum.values.map((value): SupergraphSubgraph => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const arg = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      const result = node ? valueFromASTUntyped(node) : undefined;
      return typeof result === 'string' && result !== '' ? result : undefined;
    };
    return { name: arg('name') ?? value.name.value.toLowerCase(), enumValue: value.name.value, url: arg('url') };
  });
  return { source, sdl, document, subgraphs };
}
