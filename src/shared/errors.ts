/**
 * The error catalogue. Start-up problems are thrown as `JunctionError` with a stable `JNC_*` code so
 * operators can search for them; request-time problems are GraphQL errors carrying `extensions.code`.
 */
export const ErrorCode = {
  /** A gateway configuration file or option is invalid. */
  CONFIG_INVALID: 'JNC_CONFIG_INVALID',
  /** One or more registered services are invalid (see `problems`). */
  REGISTRY_INVALID: 'JNC_REGISTRY_INVALID',
  /** The registered schemas cannot be stitched into one graph. */
  COMPOSITION_FAILED: 'JNC_COMPOSITION_FAILED',
  /** A supergraph SDL (`federation.supergraph`, `--supergraph`) cannot be read or served. */
  SUPERGRAPH_INVALID: 'JNC_SUPERGRAPH_INVALID',
  /** Authorization directives, the overlay or the policies module are invalid (see `problems`). */
  AUTHZ_INVALID: 'JNC_AUTHZ_INVALID',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One finding about a file: where it is and what is wrong, readable without context. */
export interface Problem {
  /** Path of the file the problem is in, as given to the loader. */
  file: string;
  /** 1-based line, when the problem can be pinned to one. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  message: string;
}

export function formatProblem(problem: Problem): string {
  const where = problem.line ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}` : problem.file;
  return `${where}: ${problem.message}`;
}

export class JunctionError extends Error {
  override readonly name = 'JunctionError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}` : message);
  }
}

/** Codes that clients see in `errors[].extensions.code`. */
export const RequestErrorCode = {
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  GRAPH_NOT_READY: 'GRAPH_NOT_READY',
  /** The bearer token is missing (where required), malformed, invalid, expired or revoked: 401 (400 for a malformed header). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The token cannot be checked right now (token store or identity provider unreachable): 503, never let through. */
  AUTH_UNAVAILABLE: 'AUTH_UNAVAILABLE',
  /** An authorization directive denies the field (or, in strict mode, the operation) to this viewer. */
  FORBIDDEN: 'FORBIDDEN',
  /** Introspection was asked for by an anonymous viewer while `authz.anonymousIntrospection` is false. */
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  /** The operation uses an alias the gateway reserves for itself. */
  RESERVED_ALIAS: 'RESERVED_ALIAS',
} as const;
