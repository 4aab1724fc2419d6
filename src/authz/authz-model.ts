import { getNamedType, isAbstractType, isCompositeType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../shared/viewer.js';
import type { Logger } from '../telemetry/index.js';
import { denialError, type DeniedEvent } from './authz-errors.js';
import type { Clause } from './clauses.js';
import { createDeferredFetch, deferredOwner, type DeferredFetch, type DeferredOwner } from './deferred-fetch.js';
import { createAnalyzer, type Analyze } from './operation-analysis.js';
import type { Policy } from './policies.js';
import { createProfiles, type Profile } from './profiles.js';
import { createPruner, type Pruner } from './prune-selections.js';
import type { Requirement } from './requirements.js';

/** Where a guarded schema keeps its model (`schema.extensions`), so plugins and the preflight find it by schema. */
export const AUTHZ_MODEL = 'junctionAuthorization';

/** Everything authorization precomputed for one graph. */
export interface AuthzModel {
  readonly requirements: ReadonlyMap<string, Requirement>;
  readonly policies: ReadonlyMap<string, Policy>;
  readonly logger: Logger;
  /** Composite types from which a protected field can be reached: fields returning them prune their selections. */
  readonly reachesProtected: ReadonlySet<string>;
  /** Policy-guarded fields fetched only after their policy allowed it (their type is merged, so stitching can). */
  readonly deferred: ReadonlyMap<Requirement, DeferredOwner>;
  requirement(typeName: string, fieldName: string): Requirement | undefined;
  profileFor(viewer: Viewer): Profile;
  readonly pruner: Pruner;
  /** Fetches a deferred field once its policy allowed it (see deferred-fetch.ts). */
  readonly fetchDeferred: DeferredFetch;
  readonly analyze: Analyze;
  /** Builds the client error for a denial and tells listeners. */
  deny(coordinate: string, clause: Clause, viewer: Viewer, scope: DeniedEvent['scope']): ReturnType<typeof denialError>;
}

export interface ModelOptions {
  schema: GraphQLSchema;
  requirements: ReadonlyMap<string, Requirement>;
  policies: ReadonlyMap<string, Policy>;
  logger: Logger;
  emit: (event: DeniedEvent) => void;
}

export function createModel({ schema, requirements, policies, logger, emit }: ModelOptions): AuthzModel {
  const requirement = (typeName: string, fieldName: string) => requirements.get(`${typeName}.${fieldName}`);
  const deferred = deferredRequirements(schema, requirements);
  const profiles = createProfiles();
  return {
    requirements,
    policies,
    logger,
    reachesProtected: typesReachingProtected(schema, requirements),
    deferred,
    requirement,
    profileFor: profiles.profileFor,
    pruner: createPruner({ schema, requirement, deferredKeys: (r) => deferred.get(r)?.keyFields }),
    fetchDeferred: createDeferredFetch(schema),
    analyze: createAnalyzer(schema, requirement),
    deny(coordinate, clause, viewer, scope) {
      const error = denialError(coordinate, clause, viewer);
      logger.debug({ coordinate, code: error.extensions['code'], scope }, 'authorization denied');
      emit({ type: 'denied', coordinate, code: String(error.extensions['code']), requirement: error.extensions['requirement'] as Record<string, unknown>, scope, viewer });
      return error;
    },
  };
}

/** The model of a schema guarded by authorizeSchema, if it is one. */
export function modelOf(schema: GraphQLSchema): AuthzModel | undefined {
  return schema.extensions[AUTHZ_MODEL] as AuthzModel | undefined;
}

/**
 * Policy-guarded fields of merged types whose owning service has an entry point for the type: they
 * can be fetched on their own once the parent is known, so they are left out of the parent's request
 * and fetched only after the policy allowed them (with the owner's key fields in the parent's request).
 */
function deferredRequirements(schema: GraphQLSchema, requirements: ReadonlyMap<string, Requirement>): Map<Requirement, DeferredOwner> {
  const deferred = new Map<Requirement, DeferredOwner>();
  for (const requirement of requirements.values()) {
    if (!requirement.policyClauses.length || requirement.root) continue;
    const owner = deferredOwner(schema, requirement.typeName, requirement.fieldName);
    if (owner) deferred.set(requirement, owner);
  }
  return deferred;
}

/** Composite types from which some protected field can be reached through selections. */
function typesReachingProtected(schema: GraphQLSchema, requirements: ReadonlyMap<string, Requirement>): Set<string> {
  const reaching = new Set<string>([...requirements.values()].map((r) => r.typeName));
  const composite = Object.values(schema.getTypeMap()).filter((t) => isCompositeType(t) && !t.name.startsWith('__'));
  let grew = true;
  while (grew) {
    grew = false;
    for (const type of composite) {
      if (reaching.has(type.name)) continue;
      const reaches = isAbstractType(type)
        ? schema.getPossibleTypes(type).some((t) => reaching.has(t.name))
        : (isObjectType(type) || isInterfaceType(type)) && Object.values(type.getFields()).some((f) => reaching.has(getNamedType(f.type).name));
      if (reaches) {
        reaching.add(type.name);
        grew = true;
      }
    }
  }
  return reaching;
}

/** "Type.field" of every field a directive protects in a guarded schema (for `junction check` and tooling). */
export function protectedFields(schema: GraphQLSchema): string[] {
  return [...(modelOf(schema)?.requirements.keys() ?? [])];
}
