export { createGateway, type Gateway, type GatewayOptions, type ListeningServer } from './server/index.js';
export type { GatewayConfig, GatewayConfigInput } from './config/index.js';
export type { Graph, ReloadResult } from './stitching/index.js';
export type { ServiceDefinition } from './registry/index.js';
export { ErrorCode, JunctionError, type Problem } from './shared/errors.js';
