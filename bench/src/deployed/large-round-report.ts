import { markdownTable } from '../report/table';
import { anatomyOf } from './deployed-report';
import type { FabricRunResult } from './fabric-run-result';
import type { ModelSize } from './model-size';

/** The target: the ledger's share of a 1M-parameter round where local training takes ≥ 10 s. */
export const LEDGER_SHARE_TARGET = 0.05;
export const MIN_TRAINING_SECONDS = 10;

/** One model size of the large-round bench: the Fabric run and the machine's 1-min load around it. */
export interface LargeRoundCase {
  size: ModelSize;
  epochs: number;
  fabric: FabricRunResult;
  load1: { start: number; end: number };
}

/**
 * Whether a run meets the target, on the low share (time in ledger calls on the round's path, §4a),
 * and only where training reached the ≥ 10 s the target presumes; otherwise 'n/a' with the reason.
 */
export function targetVerdict(ledgerShare: number, trainingSeconds: number): string {
  if (!(trainingSeconds >= MIN_TRAINING_SECONDS)) return `n/a (training ${trainingSeconds.toFixed(1)} s < ${MIN_TRAINING_SECONDS} s)`;
  return ledgerShare <= LEDGER_SHARE_TARGET ? 'met' : 'not met';
}

/** §4c: the round anatomy of §4a per model size, with the ledger's share against the target. */
export function largeRoundTable(cases: readonly LargeRoundCase[]): string {
  return markdownTable(
    ['model', 'params', 'weights', 'rows × epochs', 'round s (mean)', 'training', 'fetch + event → training', 'SubmitUpdate', 'Aggregate', 'wait + notify', 'RecordEvaluation (off path)', 'Aggregate ok / failed', 'ledger calls / round', 'not training / round', `≤ ${pct(LEDGER_SHARE_TARGET)} (calls)`, 'load 1-min start → end'],
    cases.map((c) => {
      const a = anatomyOf(c.fabric);
      const agg = c.fabric.roundMetrics.aggregations;
      return [
        `MLP 12→${c.size.hiddenUnits.join('→')}→1`,
        c.size.params,
        c.fabric.model?.weightsPath ?? '?',
        `${c.fabric.model?.rows ?? '?'} × ${c.epochs}`,
        a.roundSeconds,
        a.training,
        a.eventToTraining,
        a.submit,
        a.aggregate,
        a.waitAndNotify,
        a.recordEvaluation,
        `${agg.succeeded} / ${agg.failed}`,
        pct(a.ledgerShareLow),
        pct(a.ledgerShareHigh),
        targetVerdict(a.ledgerShareLow, a.training),
        `${c.load1.start.toFixed(1)} → ${c.load1.end.toFixed(1)}`,
      ];
    }),
  );
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)} %`;
}
