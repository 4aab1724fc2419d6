import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/index.js';

export const QUERY_LIMIT_CODE = 'QUERY_LIMIT_EXCEEDED';

/**
 * armor throws from inside validation by default, which turns a limit into an execution error
 * (HTTP 200). Reported as validation errors instead, they get 400 like any invalid query.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: QUERY_LIMIT_CODE } })),
  ],
};

/**
 * Hostile-query limits from graphql-armor. Each rejection names the limit and the value found,
 * e.g. "Query depth limit of 15 exceeded, found 16.". Introspection queries are exempt from depth.
 */
export function useQueryLimits(limits: GatewayConfig['limits']): Plugin[] {
  return [
    // Token counting happens while parsing, so it must throw (there is no validation context yet);
    // marking the error lets yoga answer 400 as for any syntax error.
    maxTokensPlugin({
      n: limits.maxTokens,
      onReject: [(_context, error) => Object.assign(error.extensions, { code: QUERY_LIMIT_CODE, http: { status: 400, spec: true } })],
    }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...asValidationError }),
    maxAliasesPlugin({ n: limits.maxAliases, ...asValidationError }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...asValidationError }),
  ] as Plugin[];
}
