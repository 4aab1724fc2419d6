import { z } from 'zod';

/** Logging, tracing, metrics and metering (src/telemetry). Filled in by issue #6. */
export const telemetryConfigSchema = z.strictObject({}).prefault({});

export type TelemetryConfig = z.output<typeof telemetryConfigSchema>;
