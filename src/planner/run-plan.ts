import type { ExecutionResult } from '@graphql-tools/utils';
import { GraphQLError } from 'graphql';
import { attachError, isObject, markFieldError, mergeInto, objectsAt, upstreamError } from './merge-data.js';
import type { FetchNode, Plan, PlannedGate, RepresentationField } from './plan-types.js';

/** Sends one GraphQL request to a subgraph; failures come back as `{ errors }`, never as a throw. */
export type SubgraphRequest = (subgraph: string, query: string, variables: Record<string, unknown>, context: unknown) => Promise<ExecutionResult>;

/** When a fetch was sent (performance.now()) and how long its answer took. */
export interface FetchTiming {
  start: number;
  ms: number;
}

export interface PlanResult {
  /** The merged data; root value for projecting the client's response. */
  data: Record<string, unknown>;
  /** Errors that could not be pinned to a field. */
  errors: GraphQLError[];
  /** By fetch id, for the fetches that were sent (telemetry times their fields by them). */
  timings: Array<FetchTiming | undefined>;
}

interface EntityJob {
  node: FetchNode;
  representations: unknown[];
  /** For each representation, the objects it stands for. */
  targets: Array<Record<string, unknown>[]>;
}

/** Caches the query text of a batch of entity fetches, by the ids of the fetches in it. */
const batchQueries = new WeakMap<Plan, Map<string, string>>();

/**
 * Runs a plan: each fetch as soon as the fetches it depends on are done; entity fetches to one
 * subgraph that become ready together are sent as one request (aliased `_entities` fields).
 */
export async function runPlan(plan: Plan, variables: Record<string, unknown>, context: unknown, send: SubgraphRequest): Promise<PlanResult> {
  const data: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  const timings: Array<FetchTiming | undefined> = [];
  const started = new Map<FetchNode, Promise<void>>();
  const pending = new Map<string, { jobs: EntityJob[]; done: Promise<void> }>();
  let queries = batchQueries.get(plan);
  if (!queries) batchQueries.set(plan, (queries = new Map()));
  const queryCache = queries;

  const pick = (names: readonly string[]) => {
    const out: Record<string, unknown> = {};
    for (const name of names) if (variables[name] !== undefined) out[name] = variables[name];
    return out;
  };

  /** Sends a request and records its timing for each of the fetches it carries. */
  async function timed(nodes: readonly FetchNode[], subgraph: string, query: string, vars: Record<string, unknown>) {
    const start = performance.now();
    const result = await send(subgraph, query, vars, context);
    const timing = { start, ms: performance.now() - start };
    for (const node of nodes) timings[node.id] = timing;
    return result;
  }

  async function runRoot(node: FetchNode) {
    const result = await timed([node], node.subgraph, node.query, pick(node.variableNames));
    if (isObject(result.data)) mergeInto(data, result.data);
    for (const raw of result.errors ?? []) {
      const error = upstreamError(raw, node.subgraphName);
      const path = (raw as { path?: Array<string | number> }).path;
      if (path ? !attachError(data, path, error) : !failFields([data], node.keys, error)) errors.push(error);
    }
  }

  /** Marks every field of the fetch on every target with the error; false when there is no target. */
  function failFields(targets: Array<Record<string, unknown>>, keys: readonly string[], error: GraphQLError): boolean {
    for (const target of targets) for (const key of keys) if (key !== '__typename') markFieldError(target, key, error);
    return targets.length > 0;
  }

  function runEntity(node: FetchNode): Promise<void> {
    let targets = objectsAt(data, node.path);
    if (node.filterByType) targets = targets.filter((t) => t['__typename'] === node.typeName);
    if (!node.gate) return queueEntities(node, targets);
    const allowed = admit(node.gate, targets);
    return Array.isArray(allowed) ? queueEntities(node, allowed) : allowed.then((objects) => queueEntities(node, objects));
  }

  /** The objects the gate allows; the others get its error in the field's place and are not sent. */
  function admit({ gate, responseKey, args }: PlannedGate, targets: Array<Record<string, unknown>>): Array<Record<string, unknown>> | Promise<Array<Record<string, unknown>>> {
    if (targets.length === 0) return targets;
    let values: Readonly<Record<string, unknown>>;
    try {
      values = args(variables);
    } catch (error) {
      // Arguments that do not coerce: nothing can be decided, so nothing is fetched.
      const denial = error instanceof GraphQLError ? error : new GraphQLError('Invalid arguments');
      for (const target of targets) markFieldError(target, responseKey, denial);
      return [];
    }
    const verdicts = targets.map((target) => gate.check(target, values, context));
    const settle = (errors: ReadonlyArray<GraphQLError | undefined>) =>
      targets.filter((target, i) => {
        const denial = errors[i];
        if (denial) markFieldError(target, responseKey, denial);
        return !denial;
      });
    return verdicts.some((v) => v instanceof Promise) ? Promise.all(verdicts).then(settle) : settle(verdicts as Array<GraphQLError | undefined>);
  }

  function queueEntities(node: FetchNode, targets: Array<Record<string, unknown>>): Promise<void> {
    const byRepresentation = new Map<string, { representation: unknown; targets: Record<string, unknown>[] }>();
    for (const target of targets) {
      const representation = represent(target, node.typeName, node.representation);
      if (!representation) continue;
      const id = identity(representation);
      const entry = byRepresentation.get(id);
      if (entry) entry.targets.push(target);
      else byRepresentation.set(id, { representation, targets: [target] });
    }
    if (byRepresentation.size === 0) return Promise.resolve();
    const job: EntityJob = { node, representations: [], targets: [] };
    for (const entry of byRepresentation.values()) {
      job.representations.push(entry.representation);
      job.targets.push(entry.targets);
    }
    let batch = pending.get(node.subgraph);
    if (!batch) {
      const jobs: EntityJob[] = [];
      // Sent after every fetch that became ready in this turn has queued its job.
      const done = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          pending.delete(node.subgraph);
          sendBatch(node.subgraph, jobs).then(resolve, reject);
        }),
      );
      pending.set(node.subgraph, (batch = { jobs, done }));
    }
    batch.jobs.push(job);
    return batch.done;
  }

  async function sendBatch(subgraph: string, jobs: EntityJob[]): Promise<void> {
    const id = jobs.map((j) => j.node.id).join(',');
    let query = queryCache.get(id);
    if (query === undefined) {
      const definitions = new Set<string>();
      const fields: string[] = [];
      jobs.forEach((job, i) => {
        const { entry, typeName, selection } = job.node;
        definitions.add(`$__r${i}:${entry ? entry.argType : '[_Any!]!'}`);
        for (const d of job.node.variableDefinitions) definitions.add(d);
        const field = entry ? `${entry.fieldName}(${entry.argName}:$__r${i})` : `_entities(representations:$__r${i})`;
        fields.push(`_${i}:${field}{__typename ...on ${typeName}{${selection}}}`);
      });
      query = `query(${[...definitions].join(',')}){${fields.join(' ')}}`;
      queryCache.set(id, query);
    }
    const vars: Record<string, unknown> = {};
    jobs.forEach((job, i) => {
      Object.assign(vars, pick(job.node.variableNames));
      const entry = job.node.entry;
      // A stitched entry point takes the key values; `_entities` the whole representations.
      vars[`__r${i}`] = entry ? job.representations.map((r) => (r as Record<string, unknown>)[entry.keyField]) : job.representations;
    });
    const result = await timed(jobs.map((j) => j.node), subgraph, query, vars);
    const answers = isObject(result.data) ? result.data : undefined;
    jobs.forEach((job, i) => mergeEntities(job, answers?.[`_${i}`], result.errors ?? [], `_${i}`));
  }

  function mergeEntities(job: EntityJob, answer: unknown, rawErrors: readonly unknown[], alias: string) {
    const { node } = job;
    const mine = rawErrors.filter((e) => {
      const path = (e as { path?: unknown[] }).path;
      return !path || path[0] === alias;
    });
    if (!Array.isArray(answer) || answer.length !== job.representations.length) {
      const error = !Array.isArray(answer)
        ? mine.length ? upstreamError(mine[0], node.subgraphName) : malformed(node, 'answered without the entities it was asked for')
        : malformed(node, `answered ${answer.length} entities for ${job.representations.length} representations`);
      if (!failFields(job.targets.flat(), node.keys, error)) errors.push(error);
      return;
    }
    // An entity the subgraph nulled is explained by an error at its index; otherwise it is malformed.
    const explained = new Set(mine.map((e) => (e as { path?: unknown[] }).path?.[1]).filter((i) => typeof i === 'number'));
    answer.forEach((entity, i) => {
      if (entity === null && !explained.has(i)) {
        failFields(job.targets[i]!, node.keys, malformed(node, `returned no ${node.typeName} for a representation it was sent`));
      } else if (entity != null && (!isObject(entity) || (entity['__typename'] !== undefined && entity['__typename'] !== node.typeName))) {
        const got = isObject(entity) ? String(entity['__typename']) : typeof entity;
        failFields(job.targets[i]!, node.keys, malformed(node, `returned a ${got} where a ${node.typeName} was requested`));
      } else if (entity != null) {
        for (const target of job.targets[i]!) mergeInto(target, entity);
      }
    });
    for (const raw of mine) {
      const path = (raw as { path?: Array<string | number> }).path;
      const error = upstreamError(raw, node.subgraphName);
      const index = path?.[1];
      const owners = typeof index === 'number' ? job.targets[index] : undefined;
      if (!owners || !owners.every((t) => attachError(t, path!.slice(2), error) || failFields([t], node.keys, error))) errors.push(error);
    }
  }

  const run = (node: FetchNode): Promise<void> => {
    let promise = started.get(node);
    if (!promise) {
      promise = Promise.all(node.dependsOn.map(run)).then(() => (node.kind === 'root' ? runRoot(node) : runEntity(node)));
      started.set(node, promise);
    }
    return promise;
  };
  for (const group of plan.groups) await Promise.all(group.map(run));
  return { data, errors, timings };
}

/** A cheap identity for de-duplicating representations; JSON only for compound keys. */
function identity(representation: Record<string, unknown>): string {
  let id = '';
  for (const key in representation) {
    const value = representation[key];
    if (typeof value === 'object' && value !== null) return JSON.stringify(representation);
    id += `${typeof value === 'string' ? 's' : 'v'}${String(value)}\u0000`;
  }
  return id;
}

/** The representation of an entity object, or undefined when a key field is missing. */
function represent(target: Record<string, unknown>, typeName: string, fields: readonly RepresentationField[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = { __typename: typeName };
  return copyFields(target, fields, out) ? out : undefined;
}

function copyFields(source: Record<string, unknown>, fields: readonly RepresentationField[], out: Record<string, unknown>): boolean {
  for (const field of fields) {
    const value = source[field.from];
    if (value === undefined) return false;
    if (!field.sub || value === null) {
      out[field.name] = value;
      continue;
    }
    const copy = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(copy);
      if (!isObject(v)) return v;
      const o: Record<string, unknown> = {};
      return copyFields(v, field.sub!, o) ? o : null;
    };
    out[field.name] = copy(value);
  }
  return true;
}

function malformed(node: FetchNode, what: string): GraphQLError {
  return upstreamError({ message: `Service "${node.subgraphName}" ${what}`, extensions: { code: 'UPSTREAM_ERROR', service: node.subgraphName } });
}
