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

  it('matches prom-client with one and with three labels too', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const one = { name: 'one_seconds', help: 'One', labelNames: ['service'], buckets: BUCKETS };
    const three = { name: 'three_seconds', help: 'Three', labelNames: ['service', 'status', 'endpoint'], buckets: BUCKETS };
    const reference1 = new Histogram({ ...one, registers: [theirs] });
    const reference3 = new Histogram({ ...three, registers: [theirs] });
    const histogram1 = new LabelledHistogram({ ...one, registers: [ours] });
    const histogram3 = new LabelledHistogram({ ...three, registers: [ours] });
    for (const [service, status, value] of OBSERVATIONS) {
      for (const endpoint of ['a', 'b']) {
        reference1.observe({ service }, value);
        histogram1.series(service).observe(value);
        reference3.observe({ service, status, endpoint }, value);
        histogram3.series(service, status, endpoint).observe(value);
      }
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(() => new LabelledHistogram({ name: 'x', help: 'x', labelNames: ['a', 'b', 'c', 'd'], buckets: BUCKETS, registers: [] })).toThrow(/one to three labels/);
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
