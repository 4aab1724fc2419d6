import { getNamedType, isAbstractType, isCompositeType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../shared/viewer.js';
import type { Logger } from '../telemetry/index.js';
import { denialError, type DeniedEvent } from './authz-errors.js';
import type { Clause } from './clauses.js';
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
  readonly deferred: ReadonlySet<Requirement>;
  requirement(typeName: string, fieldName: string): Requirement | undefined;
  profileFor(viewer: Viewer): Profile;
  readonly pruner: Pruner;
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
    pruner: createPruner({ schema, requirement, deferrable: (r) => deferred.has(r) }),
    analyze: createAnalyzer(schema, requirement),
    deny(coordinate, clause, viewer, scope) {
      const error = denialError(coordinate, clause, viewer);
      emit({ type: 'denied', coordinate, code: String(error.extensions['code']), requirement: error.extensions['requirement'] as Record<string, unknown>, scope, viewer });
      return error;
    },
  };
}

/** The model of a schema guarded by authorizeSchema, if it is one. */
export function modelOf(schema: GraphQLSchema): AuthzModel | undefined {
  return schema.extensions[AUTHZ_MODEL] as AuthzModel | undefined;
}

interface MergedTypeInfoLike {
  uniqueFields?: Record<string, unknown>;
  nonUniqueFields?: Record<string, unknown[]>;
  resolvers?: Map<unknown, unknown>;
}

/**
 * Policy-guarded fields of merged types whose owning services have an entry point for the type:
 * stitching can fetch them on their own once the parent is known (graphql-tools' defaultMergedResolver
 * fetches a missing field of a merged type, batched), so they are left out of the parent's request and
 * fetched only after the policy allowed them.
 */
function deferredRequirements(schema: GraphQLSchema, requirements: ReadonlyMap<string, Requirement>): Set<Requirement> {
  const mergedTypes = (schema.extensions['stitchingInfo'] as { mergedTypes?: Record<string, MergedTypeInfoLike> } | undefined)?.mergedTypes;
  const deferred = new Set<Requirement>();
  if (!mergedTypes) return deferred;
  for (const requirement of requirements.values()) {
    if (!requirement.policyClauses.length || requirement.root) continue;
    const merged = mergedTypes[requirement.typeName];
    const unique = merged?.uniqueFields?.[requirement.fieldName];
    const owners = unique ? [unique] : (merged?.nonUniqueFields?.[requirement.fieldName] ?? []);
    if (owners.length && owners.every((owner) => merged?.resolvers?.has(owner))) deferred.add(requirement);
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
