export { createGateway, type Gateway, type GatewayOptions, type ListeningServer } from './server/index.js';
export type { GatewayConfig, GatewayConfigInput } from './config/index.js';
export type { Graph, ReloadResult } from './stitching/index.js';
export type { ServiceDefinition } from './registry/index.js';
export { ErrorCode, JunctionError, type Problem } from './shared/errors.js';
export { definePolicies, definePolicy, type PolicyCheck, type PolicyDefinition, type PolicyInput, type PolicyMap } from './authz/index.js';
export type { Viewer } from './shared/viewer.js';
