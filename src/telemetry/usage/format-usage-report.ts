import type { UsageReport } from './usage-report.js';

type Cell = string | number;

function table(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string[] {
  if (rows.length === 0) return ['  (none)'];
  const text = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => String(r[i]).length)));
  // First column left-aligned (names), the others right-aligned (numbers).
  return text.map((r) => `  ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ')}`.trimEnd());
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(n < 10 ? 3 : 1);
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** The usage report as the terminal shows it (`junction usage`). */
export function formatUsageReport(report: UsageReport): string {
  const { totals } = report;
  const filter = [report.filter.client ? `client ${report.filter.client}` : 'all clients', report.filter.operation ? `operation ${report.filter.operation}` : 'all operations'];
  const lines = [
    `Usage from ${report.from} to ${report.to} (${report.resolution} buckets; ${filter.join(', ')})`,
    `${formatNumber(totals.requests)} operations (${formatNumber(totals.failed)} failed), ${formatNumber(totals.fieldResolutions)} field resolutions, ${formatNumber(totals.upstreamCalls)} upstream calls`,
    '',
    'Top clients',
    ...table(['client', 'operations', 'failed', 'avg ms'], report.clients.map((c) => [c.client, c.requests, c.failed, c.avgMs])),
    '',
    'Top operations',
    ...table(['operation', 'requests', 'failed', 'avg ms', 'clients'], report.operations.map((o) => [o.operation, o.requests, o.failed, o.avgMs, o.clients])),
    '',
    'Top fields',
    ...table(['field', 'resolutions', 'errors'], report.fields.map((f) => [f.coordinate, f.count, f.errors])),
    '',
    'Slowest fields (all clients)',
    ...table(['field', 'avg ms', 'timed'], report.slowestFields.map((f) => [f.coordinate, f.avgMs, f.count])),
    '',
    'Services',
    ...table(['service', 'calls', 'failed', 'error rate', 'avg ms'], report.services.map((s) => [s.service, s.calls, s.failed, percent(s.errorRate), s.avgMs])),
    '',
    `Fields nobody requested (${report.unusedFields.length}; candidates for deprecation)`,
    ...(report.unusedFields.length ? wrap(report.unusedFields) : ['  (none)']),
  ];
  return lines.join('\n');
}

function wrap(items: readonly string[], width = 100): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const item of items) {
    if (line.length + item.length + 1 > width && line.trim()) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${item}`;
  }
  if (line.trim()) lines.push(line);
  return lines;
}
