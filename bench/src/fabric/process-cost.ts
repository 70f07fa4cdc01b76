/**
 * Pure parsers for what the large-update benchmark samples from a running network: CPU time and
 * peak memory of a process from /proc, and the histogram sums of a peer's Prometheus /metrics.
 */

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat) in clock ticks, or undefined for garbage. */
export function parseCpuTicks(statText: string): number | undefined {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = statText
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After ')' the first field is field 3 (state), so utime (14) is index 11 and stime (15) index 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isInteger(utime) && Number.isInteger(stime) ? utime + stime : undefined;
}

/** Peak resident memory (VmHWM) in KiB from the text of /proc/<pid>/status. */
export function parseVmHwmKiB(statusText: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB\s*$/m.exec(statusText);
  return match === null ? undefined : Number(match[1]);
}

/** One histogram of a Prometheus text exposition: total of observed values and observation count per label set. */
export interface HistogramTotal {
  /** metric name without _sum/_count, then the labels as written (channel label dropped: one channel). */
  series: string;
  sum: number;
  count: number;
}

/**
 * The `_sum`/`_count` pairs of every histogram or summary in a Prometheus text exposition whose
 * name matches `include`, keyed by series. Buckets are skipped: the mean per phase is what the
 * write-up needs, and sums/counts subtract cleanly between two scrapes.
 */
export function parseHistogramTotals(text: string, include: RegExp): Map<string, HistogramTotal> {
  const totals = new Map<string, HistogramTotal>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)_(sum|count)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const [, name, part, labels, value] = match as unknown as [
      string,
      string,
      'sum' | 'count',
      string | undefined,
      string,
    ];
    if (!include.test(name)) continue;
    const kept = (labels ?? '')
      .replace(/^\{|\}$/g, '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter((label) => label !== '' && !label.startsWith('channel='))
      .join(',');
    const series = kept === '' ? name : `${name}{${kept}}`;
    const entry = totals.get(series) ?? { series, sum: 0, count: 0 };
    entry[part] += Number(value);
    totals.set(series, entry);
  }
  return totals;
}

/** after − before for every series that moved; series that did not move are left out. */
export function diffHistogramTotals(
  before: Map<string, HistogramTotal>,
  after: Map<string, HistogramTotal>,
): HistogramTotal[] {
  const moved: HistogramTotal[] = [];
  for (const [series, total] of after) {
    const previous = before.get(series) ?? { series, sum: 0, count: 0 };
    const count = total.count - previous.count;
    if (count > 0) moved.push({ series, sum: total.sum - previous.sum, count });
  }
  return moved.sort((a, b) => b.sum - a.sum);
}

/** The listening TCP ports of a process from `ss -ltnpH` output, by its pid ("users:((\"peer\",pid=123,fd=9))"). */
export function listeningPortsOf(ssOutput: string, pid: number): number[] {
  const ports: number[] = [];
  for (const line of ssOutput.split('\n')) {
    if (!line.includes(`pid=${pid},`)) continue;
    const local = line.trim().split(/\s+/).at(3);
    const port = Number(local?.slice(local.lastIndexOf(':') + 1));
    if (Number.isInteger(port) && port > 0) ports.push(port);
  }
  return ports.sort((a, b) => a - b);
}
