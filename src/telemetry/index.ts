export { createTelemetry, type Telemetry, type TelemetryGraph, type TelemetryOptions } from './create-telemetry.js';
export { createLogger, REDACTED_PATHS, type CreateLoggerOptions, type Logger } from './logger.js';
export type { FieldTotals, Metrics, TokenFailureReason } from './metrics.js';
export { clientKeyOf } from './request-state.js';
export { parseDuration, USAGE_PATH, useTelemetryRoutes, type UseTelemetryRoutesOptions } from './use-telemetry-routes.js';
export { useTelemetry, type UseTelemetryOptions } from './use-telemetry.js';
export { formatUsageReport, type UsageReport } from './usage/index.js';
