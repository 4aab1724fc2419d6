import type { ExecutionArgs, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FastPath } from './fast-path.js';

export interface QueryPlansOptions {
  /** The fast path of the graph a request runs on (found by its schema), if that graph has one. */
  fastPathFor: (schema: GraphQLSchema) => FastPath | undefined;
  /**
   * Whether this operation may skip the general engine on this fast path, e.g. authorization's
   * preflight (operations needing per-object checks only on a gated fast path). @default always
   */
  admits?: (args: ExecutionArgs, fastPath: FastPath) => boolean;
}

/**
 * Runs an operation through its cached query plan when the request's graph has a fast path and the
 * operation can be planned; otherwise the normal (graphql-tools) execution goes on untouched.
 */
export function useQueryPlans({ fastPathFor, admits = () => true }: QueryPlansOptions): Plugin {
  return {
    onExecute({ args, setExecuteFn }) {
      const fastPath = fastPathFor(args.schema);
      // Planning is cached per document, so it is the cheaper question: asked first.
      if (fastPath && fastPath.canExecute(args) && admits(args, fastPath)) setExecuteFn(fastPath.execute);
    },
  };
}
