import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { DEMO_REGISTRY } from '../helpers/registry.js';

describe('telemetry configuration', () => {
  it('defaults to access log, field counts with slow-or-failed detail, metrics behind the admin guard and automatic metering', () => {
    expect(resolveConfig({}).telemetry).toMatchObject({
      enabled: true,
      accessLog: { enabled: true, variables: true },
      fields: { enabled: true, detail: 'slow-or-failed', slowMs: 1000 },
      tracing: { sampleRatio: 1, fieldSpans: true },
      metrics: { enabled: true, path: '/metrics', requireAdmin: true },
      metering: { enabled: true, store: 'auto', flushIntervalMs: 5000 },
    });
    expect(resolveConfig({}).telemetry.tracing.otlpEndpoint).toBeUndefined();
    expect(resolveConfig({}).telemetry.admin.token).toBeUndefined();
  });

  it.each([
    { field: 'fields.detail', input: { fields: { detail: 'some' } }, message: /telemetry\.fields\.detail/ },
    { field: 'accessLog.redactVariables', input: { accessLog: { redactVariables: '(unclosed' } }, message: /telemetry\.accessLog\.redactVariables.*valid regular expression/ },
    { field: 'tracing.otlpEndpoint', input: { tracing: { otlpEndpoint: 'ftp://collector/v1/traces' } }, message: /telemetry\.tracing\.otlpEndpoint/ },
    { field: 'admin.token', input: { admin: { token: 'short' } }, message: /telemetry\.admin\.token.*16 characters/ },
    { field: 'metering.flushIntervalMs', input: { metering: { flushIntervalMs: 0 } }, message: /telemetry\.metering\.flushIntervalMs/ },
    { field: 'metrics.unknownKey', input: { metrics: { unknownKey: true } }, message: /unknownKey/ },
  ])('rejects a bad telemetry.$field with a message naming it', ({ input, message }) => {
    expect(() => resolveConfig({ telemetry: input as never })).toThrow(message);
  });

  it('refuses to start with metering.store "redis" and no Redis configured', async () => {
    await expect(createGateway({ config: { registry: DEMO_REGISTRY, reload: { enabled: false }, telemetry: { metering: { store: 'redis' } } }, logger: createLogger({ level: 'silent' }) }))
      .rejects.toThrow(/telemetry\.metering\.store is "redis" but no redis connection is configured/);
  });
});
