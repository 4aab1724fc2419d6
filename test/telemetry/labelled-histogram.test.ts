import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledHistogram } from '../../src/telemetry/labelled-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: Array<[string, string, number]> = [
  ['users', '200', 0.0004], ['users', '200', 0.001], ['users', '200', 0.05], ['users', '500', 3],
  ['products', '200', 0.2], ['products', '200', 0.0099], ['users', '200', 7.5],
];

describe('LabelledHistogram', () => {
  it("renders the same Prometheus text and JSON as prom-client's Histogram for the same observations", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'Some help', labelNames: ['service', 'status'], buckets: BUCKETS, registers: [theirs] });
    const histogram = new LabelledHistogram({ name: 'h_seconds', help: 'Some help', labelNames: ['service', 'status'], buckets: BUCKETS, registers: [ours] });
    for (const [service, status, value] of OBSERVATIONS) {
      reference.observe({ service, status }, value);
      histogram.series(service, status).observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('keeps series apart by every label value, and ignores a value that is not a finite number', async () => {
    const registry = new Registry();
    const histogram = new LabelledHistogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: [1], registers: [registry] });
    histogram.series('x', 'y').observe(0.5);
    histogram.series('x', 'z').observe(2);
    histogram.series('x', 'y').observe(Number.NaN);
    histogram.series('x', 'y').observe(Number.POSITIVE_INFINITY);
    const text = await registry.metrics();
    expect(text).toContain('h_bucket{le="1",a="x",b="y"} 1\n');
    expect(text).toContain('h_count{a="x",b="y"} 1\n');
    expect(text).toContain('h_sum{a="x",b="y"} 0.5\n');
    expect(text).toContain('h_bucket{le="1",a="x",b="z"} 0\n');
    expect(text).toContain('h_bucket{le="+Inf",a="x",b="z"} 1\n');
    histogram.reset();
    expect(await registry.metrics()).toBe('# HELP h h\n# TYPE h histogram\n');
  });
});
