export { createMemoryUsageStore } from './memory-usage-store.js';
export { createRedisUsageStore } from './redis-usage-store.js';
export type { CountVisitor, FieldCounts } from './usage-buffer.js';
export { bucketsFor, counterName, type Resolution } from './usage-keys.js';
export { createUsageMeter, type UsageCounters, type UsageMeter, type UsageMeterOptions, type UsageQuery } from './usage-meter.js';
export { buildUsageReport, type UsageFilter, type UsageReport } from './usage-report.js';
export type { BatchChunk, UsageStore } from './usage-store.js';
export { formatUsageReport } from './format-usage-report.js';
