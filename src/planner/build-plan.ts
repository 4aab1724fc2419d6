import {
  getArgumentValues, getNamedType, isAbstractType, isLeafType, isObjectType, Kind, print,
  type DirectiveNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLObjectType,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { collectFields, subSelections, type CollectContext, type CollectedField } from './collect-fields.js';
import type { FieldGate, FieldGates } from './field-gates.js';
import { EACH, positionKey, type FetchNode, type PathSegment, type Plan, type PlannedGate } from './plan-types.js';
import { addSelection, KEY_ALIAS, listDepth, NO_ARGUMENTS, providedFor, toRepresentation } from './plan-selections.js';
import { SelectionBuilder } from './selection-builder.js';
import type { EntityKey, MergeEntry, SupergraphModel } from './supergraph-model.js';
import { UnsupportedOperation } from './unsupported.js';

interface FetchDraft {
  id: number;
  subgraph: string;
  kind: 'root' | 'entity';
  path: PathSegment[];
  typeName: string;
  filterByType: boolean;
  entry?: MergeEntry;
  /** Root: the operation selection. Entity: the selection inside `... on Type`. */
  builder: SelectionBuilder;
  representation: SelectionBuilder;
  dependsOn: Set<FetchDraft>;
  variables: Set<string>;
  gate?: PlannedGate;
}

/** Where planning stands: the objects at `path`, of concrete `type`, fetched by `fetch` from `subgraph`. */
interface Position {
  fetch: FetchDraft;
  builder: SelectionBuilder;
  subgraph: string;
  path: PathSegment[];
  type: GraphQLObjectType;
  /** Reached through an interface or union: entity fetches must pick objects by __typename. */
  abstract: boolean;
  /** Fields the subgraph provides here although they are external (@provides), with nested provides. */
  provided?: Map<string, SelectionSetNode | undefined>;
}

export interface PlanInput {
  model: SupergraphModel;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  conditions: (directive: DirectiveNode) => boolean;
  /** Fields fetched only for the objects a check allows (authorization policies). */
  gates?: FieldGates;
}

/**
 * Plans an operation over a supergraph: which subgraph fetches which fields, the entity fetches
 * (`_entities`) that bring fields of other subgraphs, and their order. Deterministic, computed once
 * per document and cached by the caller. Throws UnsupportedOperation for what it does not handle.
 */
export function buildPlan({ model, operation, fragments, conditions, gates }: PlanInput): Plan {
  const ctx: CollectContext = { schema: model.schema, fragments, conditions };
  const drafts: FetchDraft[] = [];
  const entityDrafts = new Map<string, FetchDraft>();
  const owners = new Map<string, string>();
  const fetchedBy = new Map<string, number>();
  // Every response key at every position, across all fetches: the merged object has one value per
  // key, so a response key may not name two fields, e.g. a client alias and a @requires field another
  // fetch writes there (entity keys have response keys of their own: KEY_ALIAS).
  const claims = new Map<string, string>();
  const claim = (pos: Position, responseKey: string, fieldName: string, args = '') => {
    const key = positionKey(pos.path, pos.type.name, responseKey);
    const existing = claims.get(key);
    if (existing === undefined) claims.set(key, `${fieldName}${args}`);
    else if (existing !== `${fieldName}${args}`) throw new UnsupportedOperation(`response key "${responseKey}" names two fields of ${pos.type.name}`);
  };
  const own = (pos: Position, responseKey: string) => {
    const key = positionKey(pos.path, pos.type.name, responseKey);
    if (owners.has(key)) return;
    owners.set(key, model.subgraphs.get(pos.subgraph)?.name ?? pos.subgraph);
    // At the top of a fetch's selection: the field's value arrives with that fetch.
    if (pos.builder === pos.fetch.builder) fetchedBy.set(key, pos.fetch.id);
  };
  const kind = operation.operation;
  if (kind === 'subscription') throw new UnsupportedOperation('subscriptions');
  const rootType = kind === 'query' ? model.schema.getQueryType() : model.schema.getMutationType();
  if (!rootType) throw new UnsupportedOperation(`no ${kind} type`);

  const newDraft = (fields: Omit<FetchDraft, 'id' | 'builder' | 'representation' | 'variables'>): FetchDraft => {
    const draft = { ...fields, id: drafts.length, builder: new SelectionBuilder(), representation: new SelectionBuilder(), variables: new Set<string>() };
    drafts.push(draft);
    return draft;
  };

  function planFields(pos: Position, fields: Map<string, CollectedField>): Set<FetchDraft> {
    const used = new Set<FetchDraft>();
    for (const field of fields.values()) for (const d of planField(pos, field, false)) used.add(d);
    return used;
  }

  function planField(pos: Position, field: CollectedField, forced: boolean): Set<FetchDraft> {
    if (field.name.startsWith('__')) return new Set();
    const definition = pos.type.getFields()[field.name];
    if (!definition) throw new UnsupportedOperation(`unknown field ${pos.type.name}.${field.name}`);
    // Root fields are never gated here: their checks need no parent and run before the plan does.
    const gate = forced ? undefined : gates?.gateFor(pos.type.name, field.name);
    if (gate) return planGated(pos, field, definition, gate);
    const bySubgraph = model.fieldIn(pos.type.name, field.name);
    const here = bySubgraph.get(pos.subgraph);
    if ([...bySubgraph.values()].some((f) => f.overrideLabel)) throw new UnsupportedOperation('progressive @override');
    const resolvable = forced || (here !== undefined && !here.external && !here.requires) || (pos.provided?.has(field.name) ?? false);
    if (!resolvable) return planViaEntity(pos, field);

    for (const v of field.variables) pos.fetch.variables.add(v);
    claim(pos, field.responseKey, field.name, field.args);
    own(pos, field.responseKey);
    const named = getNamedType(definition.type);
    if (isLeafType(named)) {
      pos.builder.field(field.responseKey, field.name, field.args);
      return new Set([pos.fetch]);
    }
    const sub = pos.builder.child(field.responseKey, field.name, field.args);
    const path = [...pos.path, field.responseKey, ...Array<string>(listDepth(definition.type)).fill(EACH)];
    const provides = here && !here.external ? here.provides : pos.provided?.get(field.name);
    const used = new Set([pos.fetch]);
    const abstract = isAbstractType(named);
    const concrete = abstract ? model.schema.getPossibleTypes(named) : [named as GraphQLObjectType];
    if (abstract) sub.field('__typename', '__typename');
    const fromHere = abstract ? model.possibleTypesIn(named.name, pos.subgraph) : undefined;
    for (const type of concrete) {
      if (fromHere && !fromHere.has(type.name)) continue; // this subgraph never returns that type here
      const fields = collectFields(ctx, type, subSelections(field));
      const builder = abstract ? sub.on(type.name) : sub;
      const provided = provides ? providedFor(provides, type.name) : undefined;
      const child: Position = { fetch: pos.fetch, builder, subgraph: pos.subgraph, path, type, abstract, provided };
      for (const d of planFields(child, fields)) used.add(d);
    }
    return used;
  }

  /**
   * A gated field: the parent's fetch brings the fields the gate reads; the field itself comes in an
   * entity fetch of its own, which sends only the objects the gate allowed (run-plan.ts).
   */
  function planGated(pos: Position, field: CollectedField, definition: GraphQLField<unknown, unknown>, gate: FieldGate): Set<FetchDraft> {
    for (const { responseKey, fieldName } of gate.parentFields) {
      const parentField = pos.type.getFields()[fieldName];
      const here = model.fieldIn(pos.type.name, fieldName).get(pos.subgraph);
      const available = (here !== undefined && !here.external && !here.requires) || (pos.provided?.has(fieldName) ?? false);
      if (!parentField || !isLeafType(getNamedType(parentField.type)) || !available) {
        throw new UnsupportedOperation(`the check of ${pos.type.name}.${field.name} reads ${fieldName}, which its parent's fetch cannot give`);
      }
      pos.builder.field(responseKey, fieldName);
    }
    return planViaEntity(pos, field, { gate, responseKey: field.responseKey, args: argumentsOf(definition, field.nodes[0]!) });
  }

  /** The arguments a gate sees, as graphql-js would give them (from the executor's coerced variables, defaults applied). */
  function argumentsOf(definition: GraphQLField<unknown, unknown>, node: FieldNode): PlannedGate['args'] {
    if (definition.args.length === 0) return () => NO_ARGUMENTS;
    return (variables) => getArgumentValues(definition, node, variables as Record<string, unknown>);
  }

  /** The field lives in another subgraph (or is gated): fetch the entity there by its key. */
  function planViaEntity(pos: Position, field: CollectedField, gated?: PlannedGate): Set<FetchDraft> {
    const bySubgraph = model.fieldIn(pos.type.name, field.name);
    const candidates = [...bySubgraph].filter(([, f]) => !f.external).map(([g]) => g);
    if (candidates.length === 0) throw new UnsupportedOperation(`no subgraph resolves ${pos.type.name}.${field.name}`);
    // Prefer a subgraph this position already fetches from, so fields share one request.
    candidates.sort((a, b) => Number(entityDrafts.has(draftKey(pos, b))) - Number(entityDrafts.has(draftKey(pos, a))));
    let entity: FetchDraft | undefined;
    for (const subgraph of candidates) {
      entity = entityDraft(pos, subgraph, gated);
      if (entity) break;
    }
    if (!entity) throw new UnsupportedOperation(`no usable key to reach ${pos.type.name}.${field.name}`);
    const requires = bySubgraph.get(entity.subgraph)?.requires;
    if (requires) {
      const needed = planFields(pos, collectFields(ctx, pos.type, [requires]));
      for (const d of needed) if (d !== entity) entity.dependsOn.add(d);
      addSelection(entity.representation, pos.type, requires);
    }
    const inEntity: Position = { fetch: entity, builder: entity.builder, subgraph: entity.subgraph, path: pos.path, type: pos.type, abstract: false };
    const used = planField(inEntity, field, true);
    used.add(entity);
    return used;
  }

  function draftKey(pos: Position, subgraph: string): string {
    return `${pos.fetch.id}|${pos.path.join('.')}|${pos.type.name}|${subgraph}`;
  }

  /** The entity fetch of `subgraph` at this position; a gated field gets one of its own. */
  function entityDraft(pos: Position, subgraph: string, gated?: PlannedGate): FetchDraft | undefined {
    const id = gated ? `${draftKey(pos, subgraph)}|gated:${gated.responseKey}` : draftKey(pos, subgraph);
    const existing = entityDrafts.get(id);
    if (existing) return existing;
    const keys = model.typeIn(pos.type.name).get(subgraph)?.keys.filter((k) => k.resolvable) ?? [];
    const key = keys.find((k) => keyAvailable(pos, k));
    if (!key) return undefined;
    pos.builder.field('__typename', '__typename');
    addSelection(pos.builder, pos.type, key.fields, KEY_ALIAS);
    for (const selection of key.fields.selections) if (selection.kind === Kind.FIELD) claim(pos, `${KEY_ALIAS}${selection.name.value}`, selection.name.value);
    const draft = newDraft({
      subgraph, kind: 'entity', path: pos.path, typeName: pos.type.name, filterByType: pos.abstract, dependsOn: new Set([pos.fetch]), entry: key.entry, gate: gated,
    });
    draft.builder.field('__typename', '__typename');
    addSelection(draft.representation, pos.type, key.fields, KEY_ALIAS);
    entityDrafts.set(id, draft);
    return draft;
  }

  /** Can the current subgraph give us this key's fields here? */
  function keyAvailable(pos: Position, key: EntityKey): boolean {
    const check = (type: GraphQLObjectType, selectionSet: SelectionSetNode, provided: Position['provided']): boolean =>
      selectionSet.selections.every((s) => {
        if (s.kind !== Kind.FIELD) return false;
        const here = model.fieldIn(type.name, s.name.value).get(pos.subgraph);
        const ok = (here !== undefined && !here.external && !here.requires) || (provided?.has(s.name.value) ?? false);
        if (!ok || !s.selectionSet) return ok;
        const named = getNamedType(type.getFields()[s.name.value]!.type);
        return isObjectType(named) && check(named, s.selectionSet, undefined);
      });
    return check(pos.type, key.fields, pos.provided);
  }

  // Root fields: one fetch per subgraph for queries; one per field, in order, for mutations.
  const groups: FetchDraft[][] = [];
  const rootFields = collectFields(ctx, rootType, [operation.selectionSet]);
  const rootDrafts = new Map<string, FetchDraft>();
  for (const field of rootFields.values()) {
    if (field.name.startsWith('__')) continue;
    const start = drafts.length;
    const owners = [...model.fieldIn(rootType.name, field.name)].filter(([, f]) => !f.external).map(([g]) => g);
    // A subgraph already asked shares its request; else one that @provides fields of this root field
    // (a shareable root field whose provided fields then need no entity fetch).
    const provider = owners.find((g) => model.fieldIn(rootType.name, field.name).get(g)?.provides);
    const subgraph = owners.find((g) => rootDrafts.has(g)) ?? provider ?? owners[0];
    if (!subgraph) throw new UnsupportedOperation(`no subgraph resolves ${rootType.name}.${field.name}`);
    let root = kind === 'query' ? rootDrafts.get(subgraph) : undefined;
    if (!root) {
      root = newDraft({ subgraph, kind: 'root', path: [], typeName: rootType.name, filterByType: false, dependsOn: new Set() });
      if (kind === 'query') rootDrafts.set(subgraph, root);
    }
    planField({ fetch: root, builder: root.builder, subgraph, path: [], type: rootType, abstract: false }, field, true);
    if (kind === 'mutation') groups.push(drafts.slice(start));
  }
  if (kind === 'query') groups.push(drafts);

  const definitions = new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, print(d).replace(/\s+/g, '')]));
  const nodes = new Map<FetchDraft, FetchNode>();
  const finishing = new Set<FetchDraft>();
  const finish = (draft: FetchDraft): FetchNode => {
    const done = nodes.get(draft);
    if (done) return done;
    // Fetches that wait for each other could never run.
    if (finishing.has(draft)) throw new UnsupportedOperation('fetches that depend on each other');
    finishing.add(draft);
    const variableNames = [...draft.variables];
    const variableDefinitions = variableNames.map((v) => definitions.get(v)!);
    const selection = draft.builder.print();
    const defs = variableDefinitions.length ? `(${variableDefinitions.join(',')})` : '';
    const node: FetchNode = {
      id: draft.id,
      subgraph: draft.subgraph,
      subgraphName: model.subgraphs.get(draft.subgraph)?.name ?? draft.subgraph,
      kind: draft.kind,
      path: draft.path,
      typeName: draft.typeName,
      entry: draft.entry,
      filterByType: draft.filterByType,
      representation: toRepresentation(draft.representation),
      selection,
      variableDefinitions,
      variableNames,
      keys: [...draft.builder.fields.keys()],
      dependsOn: [...draft.dependsOn].map(finish),
      query: draft.kind === 'root' ? `${kind}${defs}{${selection}}` : '',
      gate: draft.gate,
    };
    nodes.set(draft, node);
    return node;
  };
  return { operation: kind, groups: groups.map((group) => group.map(finish)), owners, fetchedBy };
}
