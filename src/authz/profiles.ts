import type { Viewer } from '../shared/viewer.js';
import { passesStatic, type Grants, type StaticClause } from './clauses.js';
import type { Requirement } from './requirements.js';

/**
 * The viewers who hold the same grants (authenticated, roles, scopes) get the same static decisions,
 * so decisions and pruned selections are cached per profile, not per request or per user.
 */
export interface Profile extends Grants {
  readonly key: string;
  /** The first static clause of `requirement` this profile fails, if any (cached). */
  staticDenial(requirement: Requirement): StaticClause | undefined;
}

export interface Profiles {
  profileFor(viewer: Viewer): Profile;
}

/** Interns profiles; at most `max` are kept (then the cache starts over: it is only a cache). */
export function createProfiles(max = 10_000): Profiles {
  const byViewer = new WeakMap<Viewer, Profile>();
  const byKey = new Map<string, Profile>();
  return {
    profileFor(viewer) {
      let profile = byViewer.get(viewer);
      if (profile) return profile;
      const roles = [...new Set(viewer.roles)].sort();
      const scopes = [...new Set(viewer.scopes)].sort();
      const key = `${viewer.authenticated ? 1 : 0}\n${roles.join(' ')}\n${scopes.join(' ')}`;
      profile = byKey.get(key);
      if (!profile) {
        if (byKey.size >= max) byKey.clear();
        profile = createProfile(key, { authenticated: viewer.authenticated, roles: new Set(roles), scopes: new Set(scopes) });
        byKey.set(key, profile);
      }
      byViewer.set(viewer, profile);
      return profile;
    },
  };
}

const PASSES = null;

function createProfile(key: string, grants: Grants): Profile {
  const decisions = new Map<Requirement, StaticClause | typeof PASSES>();
  return {
    key,
    ...grants,
    staticDenial(requirement) {
      let decision = decisions.get(requirement);
      if (decision === undefined) {
        decision = requirement.staticClauses.find((clause) => !passesStatic(clause, grants)) ?? PASSES;
        decisions.set(requirement, decision);
      }
      return decision ?? undefined;
    },
  };
}
