import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/index.js';

/**
 * Hostile-query limits from graphql-armor. Each rejection is a 400 naming the limit and the value
 * found, e.g. "Syntax Error: Query depth limit of 15 exceeded, found 16.".
 */
export function useQueryLimits(limits: GatewayConfig['limits']): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true }),
    maxAliasesPlugin({ n: limits.maxAliases }),
    maxDirectivesPlugin({ n: limits.maxDirectives }),
  ] as Plugin[];
}
