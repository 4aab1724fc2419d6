import type { GraphQLSchema } from 'graphql';
import type { FieldInSubgraph, Subgraph, SupergraphModel, TypeInSubgraph } from './supergraph-model.js';

/**
 * One model for a graph of several worlds (federation subgraphs and stitched services): each
 * subgraph keeps what its own model says about it. `schema` is the gateway's merged schema, for
 * type relations. Subgraphs named in `without` are left out (e.g. composition's stand-in for the
 * stitched services, which are modelled as themselves).
 */
export function mergeModels(schema: GraphQLSchema, models: readonly SupergraphModel[], without: ReadonlySet<string> = new Set()): SupergraphModel {
  const subgraphs = new Map<string, Subgraph>();
  const owner = new Map<string, SupergraphModel>();
  for (const model of models) {
    for (const [id, subgraph] of model.subgraphs) {
      if (without.has(id)) continue;
      subgraphs.set(id, subgraph);
      owner.set(id, model);
    }
  }
  const union = <T>(pick: (model: SupergraphModel) => ReadonlyMap<string, T>): Map<string, T> => {
    const out = new Map<string, T>();
    for (const model of models) for (const [id, value] of pick(model)) if (!without.has(id)) out.set(id, value);
    return out;
  };
  const typeCache = new Map<string, Map<string, TypeInSubgraph>>();
  const fieldCache = new Map<string, Map<string, FieldInSubgraph>>();
  return {
    schema,
    subgraphs,
    typeIn(name) {
      let found = typeCache.get(name);
      if (!found) typeCache.set(name, (found = union((m) => m.typeIn(name))));
      return found;
    },
    fieldIn(typeName, fieldName) {
      const key = `${typeName}.${fieldName}`;
      let found = fieldCache.get(key);
      if (!found) fieldCache.set(key, (found = union((m) => m.fieldIn(typeName, fieldName))));
      return found;
    },
    possibleTypesIn: (abstractName, subgraph) => owner.get(subgraph)?.possibleTypesIn(abstractName, subgraph) ?? new Set(),
    unsupported: models.map((m) => m.unsupported).find(Boolean),
  };
}
