// The summary a soak prints: requests by operation, then each invariant's outcome.
import { type Check, type MemorySample, median, mib } from './checks.ts';
import { type Stat, stats } from './traffic.ts';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const count = (stat: Stat, test: (status: number) => boolean) =>
  [...stat.statuses].filter(([status]) => test(status)).reduce((n, [, c]) => n + c, 0);

const latencies = (values: number[]) =>
  [50, 95, 99].map((p) => percentile(values, p).toFixed(1)).concat(Math.max(...values).toFixed(1));

/** Columns padded to one width; the first `left` of them aligned left, the others right. */
function aligned(rows: string[][], left = 1): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i < left ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function printSummary(run: {
  heading: string;
  target: string;
  elapsedMs: number;
  samples: MemorySample[];
  checks: Check[];
}): void {
  const rows = [...stats.entries()].sort(([, a], [, b]) => b.count - a.count);
  const all = rows.flatMap(([, stat]) => stat.latencies);
  const table = [
    [
      'operation',
      'requests',
      '2xx',
      '304',
      '4xx',
      '5xx',
      'none',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
    ],
    ...rows.map(([operation, stat]) => [
      operation,
      String(stat.count),
      String(count(stat, (s) => s >= 200 && s < 300)),
      String(count(stat, (s) => s === 304)),
      String(count(stat, (s) => s >= 400 && s < 500)),
      String(count(stat, (s) => s >= 500)),
      String(count(stat, (s) => s === 0)),
      ...latencies(stat.latencies),
    ]),
    ['all', String(all.length), '', '', '', '', '', ...latencies(all)],
  ];
  const seconds = run.elapsedMs / 1000;
  console.log(`\n${run.heading}`);
  console.log(`Target: ${run.target}`);
  console.log(`Throughput: ${(all.length / seconds).toFixed(1)} requests/s\n`);
  for (const line of aligned(table)) console.log(line);
  const quarters = [0.25, 0.5, 0.75, 1].map((share) =>
    median(
      run.samples
        .filter((s) => s.at <= share * run.elapsedMs)
        .slice(-5)
        .map((s) => s.rss),
    ),
  );
  console.log(`\nRSS at each quarter of the run: ${quarters.map(mib).join(' → ')}\n`);
  for (const line of aligned(
    run.checks.map((c) => [c.name, c.result, c.detail]),
    3,
  ))
    console.log(line);
}
