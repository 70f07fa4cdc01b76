import type { DemoSummary } from './demo-summary';
import type { RoundMetrics, StepTotal } from './round-metrics';
import type { RunningConsortium } from './running-consortium';

/** The end-of-run table printed to the terminal (summary.json has the same numbers). */
export function formatSummaryTable(summary: DemoSummary): string {
  const hospitals =
    summary.inputScaling.source === 'per-hospital'
      ? summary.dataset.hospitals.map((h) => h.mspId)
      : [];
  const pct = (value: number | undefined): string =>
    (value === undefined ? '—' : `${(value * 100).toFixed(1)}%`).padStart(8);
  const lines = [
    '',
    `Accuracy on the pooled held-out set (${summary.dataset.heldOutRows} patients); ledger: ${summary.ledger}${summary.fabricVersion !== undefined ? ` ${summary.fabricVersion}` : ''}${summary.ledger === 'in-process' ? ' (NOT Fabric)' : ''}`,
    `  round  global  ${hospitals.map((m) => `@${m}`.padStart(9)).join('')}  seconds`,
    ...summary.roundAccuracy.map(
      (r) =>
        `  ${String(r.round).padStart(5)} ${pct(r.accuracy)}  ${hospitals.map((m) => ` ${pct(r.byHospital?.[m])}`).join('')}  ${r.round === 0 ? '' : (summary.roundSeconds[r.round - 1] ?? 0).toFixed(1).padStart(7)}`,
    ),
    '',
    `  federated (final)   ${pct(summary.finalAccuracy)}`,
    `  federated (selected: round ${summary.selectedRound}, the consortium's best validation accuracy) ${pct(summary.selectedAccuracy)}`,
    `  centralized         ${pct(summary.centralizedAccuracy)}   (pooled data, comparison only)`,
    ...Object.entries(summary.localOnlyAccuracy).map(
      ([m, accuracy]) => `  local-only ${m.padEnd(9)}${pct(accuracy)}`,
    ),
    `  goal (≤ ${(summary.goal.maxGapToCentralized * 100).toFixed(0)} points below centralized, above best local-only): ${summary.goal.met ? 'MET' : 'NOT MET'}` +
      ` — gap ${(summary.goal.gapToCentralized * 100).toFixed(1)} points, best local-only ${pct(summary.goal.bestLocalOnly).trim()}`,
    '',
    'Auditor view (from the auditor org’s gateway):',
    ...summary.audit.lineage.map(
      (v) =>
        `  v${v.version}  ${v.modelHash.slice(0, 16)}…  parent ${v.parentHash ? `${v.parentHash.slice(0, 16)}…` : '—'.padEnd(17)}  ${v.contributors.map((c) => `${c.mspId}:${c.numSamples}`).join(' ')}`,
    ),
    `  lineage intact: ${summary.audit.lineageIntact ? 'yes' : 'NO'}; timeline: ${summary.audit.timelineEntries} transactions (${Object.entries(
      summary.audit.timelineActions,
    )
      .map(([action, count]) => `${action} ${count}`)
      .join(', ')})`,
    `  final model file from ${summary.audit.finalModel.downloadedFrom}: sha256 ${summary.audit.finalModel.fileSha256}`,
    `  verified by auditor against the ledger: ${summary.verifiedByAuditor ? 'YES' : 'NO'} (version ${summary.audit.finalModel.verification.version ?? '—'}); auditor asking for the weights: ${summary.audit.auditorWeightsAccess}`,
    '',
    formatRoundMetrics(summary.roundMetrics),
    '',
  ];
  return lines.join('\n');
}

/** What `--keep` prints: each gateway's web console and Swagger UI, and the API keys to log in with. */
export function formatKeepInstructions(consortium: RunningConsortium): string {
  const lines = [
    'Gateways left running (--keep). Web console (log in with a key below), Swagger UI, and API keys (header x-api-key):',
  ];
  for (const endpoint of [...consortium.hospitals, consortium.auditor]) {
    lines.push(
      `  ${endpoint.mspId}  console ${endpoint.baseUrl}/   Swagger ${endpoint.baseUrl}/api`,
    );
    if (endpoint.dataDir !== undefined)
      lines.push(
        `      data dir  ${endpoint.dataDir}  (CSV files to register with POST /datasets go here)`,
      );
    for (const [role, key] of Object.entries(endpoint.keys))
      lines.push(`      ${role.padEnd(9)} ${key}`);
  }
  lines.push(`Gateway logs: ${consortium.logDir}`, 'Press Ctrl-C to stop everything.');
  return lines.join('\n');
}

/** Mean seconds per step as the gateways counted them, and how many Aggregate calls it took. */
function formatRoundMetrics(metrics: RoundMetrics): string {
  const mean = (step: StepTotal): string =>
    step.count === 0 ? '—' : `${(step.seconds / step.count).toFixed(2)} s`;
  return [
    `Where a round's time went (gateway /metrics, mean per call): training ${mean(metrics.training)}, SubmitUpdate ${mean(metrics.submitUpdate)},`,
    `  Aggregate ${mean(metrics.aggregate)}, RecordEvaluation ${mean(metrics.recordEvaluation)} (beside the next round's training); round event → update committed ${mean(metrics.eventToSubmit)}`,
    `  Aggregate transactions: ${metrics.aggregations.succeeded} succeeded, ${metrics.aggregations.failed} failed`,
  ].join('\n');
}
