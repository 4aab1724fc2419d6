export { gatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './gateway-config.js';
export { loadConfig, resolveConfig, type LoadConfigOptions } from './load-config.js';
export { validateYaml, type YamlResult } from './validate-yaml.js';
export { signingAlgorithms, type AuthConfig, type ExternalIssuerConfig, type SigningAlgorithm, type SigningKeyConfig } from './auth-config.js';
export type { AuthzConfig } from './authz-config.js';
export type { BalancingConfig } from './balancing-config.js';
export type { FederationConfig } from './federation-config.js';
export type { RedisConfig } from './redis-config.js';
export type { TelemetryConfig } from './telemetry-config.js';
