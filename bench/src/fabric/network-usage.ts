import { readFileSync } from 'node:fs';
import { parseCpuTicks, parseVmHwmKiB } from './process-cost';
import { recordedProcessAlive, recordedProcesses } from './proc';

/** CPU ticks (utime + stime) of every live recorded network process, by component. */
export function networkCpuTicks(stateDir: string): Map<string, { kind: string; ticks: number }> {
  const ticks = new Map<string, { kind: string; ticks: number }>();
  for (const proc of recordedProcesses(stateDir)) {
    if (!recordedProcessAlive(proc)) continue;
    try {
      const value = parseCpuTicks(readFileSync(`/proc/${proc.pid}/stat`, 'utf8'));
      if (value !== undefined)
        ticks.set(proc.component, { kind: proc.kind ?? 'other', ticks: value });
    } catch {
      // gone between the check and the read: no sample for it
    }
  }
  return ticks;
}

/** CPU seconds per process kind between two {@link networkCpuTicks} samples. */
export function cpuSecondsByKind(
  before: ReturnType<typeof networkCpuTicks>,
  after: ReturnType<typeof networkCpuTicks>,
  ticksPerSecond: number,
): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const [component, end] of after) {
    const start = before.get(component);
    if (start === undefined) continue;
    byKind[end.kind] = (byKind[end.kind] ?? 0) + (end.ticks - start.ticks) / ticksPerSecond;
  }
  return byKind;
}

/** Peak resident memory (VmHWM) of every recorded network process in MB, and their `total`. */
export function networkPeakRssMB(stateDir: string): Record<string, number> {
  const peaks: Record<string, number> = {};
  let total = 0;
  for (const proc of recordedProcesses(stateDir)) {
    try {
      const kiB = parseVmHwmKiB(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      if (kiB !== undefined) {
        peaks[proc.component] = Math.round(kiB / 1024);
        total += kiB / 1024;
      }
    } catch {
      // gone: no reading
    }
  }
  peaks['total'] = Math.round(total);
  return peaks;
}
