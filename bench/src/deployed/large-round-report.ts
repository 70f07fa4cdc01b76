import { markdownTable } from '../report/table';
import { anatomyOf } from './deployed-report';
import type { FabricRunResult } from './fabric-run-result';
import type { RoundAnatomy } from './round-anatomy';
import type { ModelSize } from './model-size';

/** The target: the ledger's share of a 1M-parameter round where local training takes ≥ 10 s. */
export const LEDGER_SHARE_TARGET = 0.05;
export const MIN_TRAINING_SECONDS = 10;

/** One model size of the large-round bench: the Fabric run and the machine's 1-min load around it. */
export interface LargeRoundCase {
  /** The size's place in --params: the runs of one size (one per training-ahead setting) share it. */
  sizeIndex: number;
  size: ModelSize;
  epochs: number;
  /** The gateways' FEDLEDGER_TRAIN_AHEAD (ADR 0030). */
  trainAhead: boolean;
  fabric: FabricRunResult;
  load1: { start: number; end: number };
}

/** §4a's anatomy plus the blob path's attestation step, moved out of wait + notify into the ledger's share. */
export interface BlobRoundAnatomy extends RoundAnatomy {
  /** Mean attesting `aggregate` call that ended QUORUM_NOT_MET: fetch the round's updates, aggregate, AttestAggregate (0 when none). */
  attest: number;
  /** (fetch + event → training + SubmitUpdate + attest + Aggregate) / round: every ledger call, on the round's path or (training ahead) beside it. */
  ledgerShare: number;
  /** Round found complete at a gateway → its next training started (fedledger_round_turnaround_seconds; NaN where not recorded). */
  turnaround: number;
  /** (SubmitUpdate + turnaround) / round: the ledger's time on the round's critical path, the target's measure. */
  pathShare: number;
  /** Trainings started ahead (ADR 0030) whose model was accepted / was not. */
  trainedAhead: { used: number; discarded: number };
  /** Aggregate calls: accepted (ok), attested before a majority (QUORUM_NOT_MET), anything else (lost races, errors). */
  calls: { ok: number; quorumNotMet: number; other: number };
}

/**
 * On the blob path the gateway's `aggregate` attests first (every org, at once) and the one that sees
 * a majority accepts: the attesting calls end QUORUM_NOT_MET and their time is on the round's path,
 * so it counts as ledger time here (on the private-data path the chaincode's Aggregate does the same
 * work inside one transaction, and §4a counts it).
 */
export function blobRoundAnatomy(fabric: FabricRunResult): BlobRoundAnatomy {
  const base = anatomyOf(fabric);
  const outcomes = fabric.aggregateOutcomes ?? {};
  const pending = outcomes['QUORUM_NOT_MET'] ?? { count: 0, seconds: 0 };
  const attest = pending.count === 0 ? 0 : pending.seconds / pending.count;
  const count = (name: string): number =>
    Object.hasOwn(outcomes, name) ? outcomes[name].count : 0;
  const other = Object.entries(outcomes).reduce(
    (sum, [name, total]) => sum + (name === 'ok' || name === 'QUORUM_NOT_MET' ? 0 : total.count),
    0,
  );
  const { turnaround, trainedAhead } = fabric.roundMetrics;
  const turnaroundSeconds =
    turnaround.count === 0 ? Number.NaN : turnaround.seconds / turnaround.count;
  return {
    ...base,
    attest,
    turnaround: turnaroundSeconds,
    pathShare: (base.submit + turnaroundSeconds) / base.roundSeconds,
    trainedAhead: { used: trainedAhead.used, discarded: trainedAhead.discarded },
    waitAndNotify: Math.max(0, base.waitAndNotify - attest),
    ledgerShare: (base.eventToTraining + base.submit + attest + base.aggregate) / base.roundSeconds,
    calls: { ok: count('ok'), quorumNotMet: count('QUORUM_NOT_MET'), other },
  };
}

/**
 * Whether a run meets the target, on the low share (time in ledger calls on the round's path, §4a),
 * and only where training reached the ≥ 10 s the target presumes; otherwise 'n/a' with the reason.
 */
export function targetVerdict(ledgerShare: number, trainingSeconds: number): string {
  if (!(trainingSeconds >= MIN_TRAINING_SECONDS))
    return `n/a (training ${trainingSeconds.toFixed(1)} s < ${MIN_TRAINING_SECONDS} s)`;
  return ledgerShare <= LEDGER_SHARE_TARGET ? 'met' : 'not met';
}

/** §4c: the round anatomy of §4a per model size and training-ahead setting, with the ledger's share against the target. */
export function largeRoundTable(cases: readonly LargeRoundCase[]): string {
  // The baseline of the ratio column: the same size's run without training ahead, in this run.
  const withoutAhead = new Map(
    cases
      .filter((c) => !c.trainAhead)
      .map((c) => [c.sizeIndex, blobRoundAnatomy(c.fabric).roundSeconds]),
  );
  return markdownTable(
    [
      'model',
      'params',
      'weights',
      'rows × epochs',
      'train ahead (used / discarded)',
      'round s (mean)',
      'round vs not ahead',
      'training',
      'fetch + event → training',
      'SubmitUpdate',
      'attest',
      'Aggregate (accept)',
      'wait + notify',
      'RecordEvaluation (off path)',
      'aggregate calls ok / attest / other',
      'turnaround (complete → next training)',
      'all ledger calls / round',
      'ledger on path / round',
      'not training / round',
      `≤ ${pct(LEDGER_SHARE_TARGET)} (on path)`,
      'load 1-min start → end',
    ],
    cases.map((c) => {
      const a = blobRoundAnatomy(c.fabric);
      const baseline = withoutAhead.get(c.sizeIndex);
      return [
        `MLP 12→${c.size.hiddenUnits.join('→')}→1`,
        c.size.params,
        c.fabric.model?.weightsPath ?? '?',
        `${c.fabric.model?.rows ?? '?'} × ${c.epochs}`,
        c.trainAhead ? `on (${a.trainedAhead.used} / ${a.trainedAhead.discarded})` : 'off',
        a.roundSeconds,
        baseline === undefined ? '—' : c.trainAhead ? a.roundSeconds / baseline : '1 (baseline)',
        a.training,
        a.eventToTraining,
        a.submit,
        a.attest,
        a.aggregate,
        a.waitAndNotify,
        a.recordEvaluation,
        `${a.calls.ok} / ${a.calls.quorumNotMet} / ${a.calls.other}`,
        a.turnaround,
        pct(a.ledgerShare),
        pct(a.pathShare),
        pct(a.ledgerShareHigh),
        targetVerdict(a.pathShare, a.training),
        `${c.load1.start.toFixed(1)} → ${c.load1.end.toFixed(1)}`,
      ];
    }),
  );
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)} %`;
}
