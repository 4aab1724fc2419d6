export { createTelemetry, type Telemetry, type TelemetryGraph, type TelemetryOptions } from './create-telemetry.js';
export { createLogger, REDACTED_PATHS, type CreateLoggerOptions, type Logger } from './logger.js';
export type { FieldTotals, Metrics, TokenFailureReason } from './metrics.js';
export { COLLECTOR as FIELD_COLLECTOR } from './field-table.js';
export { clientKeyOf } from './request-state.js';
export { parseDuration, telemetryRoutes, USAGE_PATH, type TelemetryRoutes, type TelemetryRoutesOptions } from './telemetry-routes.js';
export { useTelemetry, type UseTelemetryOptions } from './use-telemetry.js';
export { formatUsageReport, type UsageReport } from './usage/index.js';
