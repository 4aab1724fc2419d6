export { loadRegistry, MANIFEST_FILE, SCHEMA_FILE, type ServiceDefinition } from './load-registry.js';
export { watchRegistry, type RegistryWatcher, type RegistryWatcherOptions } from './watch-registry.js';
export { endpointSchema, serviceManifestSchema, type Endpoint, type ServiceKind, type ServiceManifest } from './service-manifest.js';
export { authorizationDirectiveTypeDefs, registeredDirectiveNames, stitching } from './registered-directives.js';
export { fieldDirective, stringArg } from './check-sdl.js';
export {
  parseQueryTemplate, parseTemplate, placeholdersOf, type Placeholder, type QueryParamTemplate, type TemplatePart,
} from './template.js';
export {
  balancingAlgorithms, balancingManifestSchema, type BalancingAlgorithm, type BalancingManifest, type HealthCheckSettings, type OutlierDetectionSettings,
  type RetrySettings, type RoutingRule, type RoutingSettings,
} from './balancing-manifest.js';
