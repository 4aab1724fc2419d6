export { gatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './gateway-config.js';
export { loadConfig, resolveConfig, type LoadConfigOptions } from './load-config.js';
export { validateYaml, type YamlResult } from './validate-yaml.js';
