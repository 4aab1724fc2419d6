import type { ExecutionArgs, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FastPath } from './fast-path.js';

export interface QueryPlansOptions {
  /** The fast path of the graph a request runs on (found by its schema), if that graph has one. */
  fastPathFor: (schema: GraphQLSchema) => FastPath | undefined;
  /**
   * Whether this operation may skip the general engine, e.g. authorization's preflight: only
   * operations whose every field is allowed without per-object checks. @default always
   */
  admits?: (args: ExecutionArgs) => boolean;
}

/**
 * Runs an operation through its cached query plan when the request's graph has a fast path and the
 * operation can be planned; otherwise the normal (graphql-tools) execution goes on untouched.
 */
export function useQueryPlans({ fastPathFor, admits = () => true }: QueryPlansOptions): Plugin {
  return {
    onExecute({ args, setExecuteFn }) {
      const fastPath = fastPathFor(args.schema);
      if (fastPath && admits(args) && fastPath.canExecute(args)) setExecuteFn(fastPath.execute);
    },
  };
}
