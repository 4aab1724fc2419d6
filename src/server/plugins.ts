import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/index.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useQueryLimits } from './use-query-limits.js';
import { useReadiness } from './use-readiness.js';

export interface PluginDeps {
  config: GatewayConfig;
  isReady: () => boolean;
}

/** The request pipeline, in order. Order matters where commented. */
export function gatewayPlugins({ config, isReady }: PluginDeps): Plugin[] {
  return [
    // Routes that need no GraphQL answer before anything else runs.
    useReadiness({ isReady }),
    // Before parsing: a cross-site form post must not reach execution.
    useCsrfPrevention(),
    // Parse and validate limits; they run before the (cached) document reaches execution.
    ...useQueryLimits(config.limits),
  ];
}
