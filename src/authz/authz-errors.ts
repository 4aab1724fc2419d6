import { GraphQLError, type ASTNode } from 'graphql';
import { RequestErrorCode } from '../shared/errors.js';
import type { Viewer } from '../shared/viewer.js';
import { describeClause, requirementOf, type Clause } from './clauses.js';

/** A denial, as told to listeners (metrics, audit logs). */
export interface DeniedEvent {
  type: 'denied';
  /** "Type.field" that was denied. */
  coordinate: string;
  /** UNAUTHENTICATED for anonymous viewers, FORBIDDEN otherwise. */
  code: string;
  /** The clause the viewer failed, as in `extensions.requirement`. */
  requirement: Record<string, unknown>;
  /** `field`: the field became null; `operation`: strict mode refused the whole operation. */
  scope: 'field' | 'operation';
  viewer: Viewer;
}

export type AuthzEventListener = (event: DeniedEvent) => void;

/**
 * The error a client sees for a denied field: which field, what it requires, and no data. Anonymous
 * viewers get UNAUTHENTICATED (logging in may help), signed-in ones FORBIDDEN.
 */
export function denialError(coordinate: string, clause: Clause, viewer: Viewer, nodes?: readonly ASTNode[]): GraphQLError {
  const anonymous = !viewer.authenticated;
  const message = `${anonymous ? 'Authentication required' : 'Not authorized'}: ${coordinate} ${describeClause(clause)}`;
  return new GraphQLError(message, {
    nodes,
    extensions: { code: anonymous ? RequestErrorCode.UNAUTHENTICATED : RequestErrorCode.FORBIDDEN, coordinate, requirement: requirementOf(clause) },
  });
}

/** One listener's failure must not break authorization for the request. */
export function emitter(listeners: ReadonlySet<AuthzEventListener>, onError: (error: unknown) => void): (event: DeniedEvent) => void {
  return (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        onError(error);
      }
    }
  };
}
