import type { ModelVersion } from './types';

/** One point of the accuracy chart: a version's accuracy at each org and over the consortium. */
export interface AccuracyPoint {
  version: number;
  round: number;
  /** An org that recorded no evaluation of this version has no entry. */
  byOrg: Partial<Record<string, number>>;
  /** Sample-weighted mean of the orgs' evaluations: the consortium-level metric. */
  consortium: number;
}

/** The evaluations recorded on the ledger, per version, as chart points (versions without any are left out). */
export function accuracyPoints(versions: ModelVersion[], metric = 'accuracy'): AccuracyPoint[] {
  const points: AccuracyPoint[] = [];
  for (const version of [...versions].sort((a, b) => a.version - b.version)) {
    const evaluations = version.evaluations.filter(
      (evaluation) => typeof evaluation.metrics[metric] === 'number',
    );
    if (evaluations.length === 0) continue;
    const byOrg: Partial<Record<string, number>> = {};
    let weighted = 0;
    let samples = 0;
    for (const evaluation of evaluations) {
      const value = evaluation.metrics[metric];
      byOrg[evaluation.mspId] = value;
      weighted += value * evaluation.numSamples;
      samples += evaluation.numSamples;
    }
    points.push({
      version: version.version,
      round: version.round,
      byOrg,
      consortium: samples > 0 ? weighted / samples : Number.NaN,
    });
  }
  return points;
}
