import type { AuditEntryInfo } from './gateway-client';
import type { DemoSummary } from './demo-summary';

const COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];

/** The self-contained HTML report: headline numbers, inline SVG accuracy curves, lineage and the audit timeline. */
export function renderReportHtml(summary: DemoSummary, timeline: AuditEntryInfo[]): string {
  const goal = summary.goal;
  const hospitals = summary.dataset.hospitals.map((h) => h.mspId);
  const perHospital = summary.inputScaling.source === 'per-hospital' ? hospitals : [];
  const ledgerBanner =
    summary.ledger === 'fabric'
      ? `<p class="ok">Ledger: fabric ${esc(summary.fabricVersion ?? '')} — a Hyperledger Fabric network brought up by network/network.sh</p>`
      : `<p class="warn">Ledger: in-process test double — ${esc(summary.ledgerNote ?? 'NOT a Fabric network')}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fedledger demo report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#f3f3f3}code{font-size:.8rem}.ok{color:#176a1d;font-weight:600}.warn{color:#a14400;font-weight:600;border:2px solid #a14400;padding:.5rem}
.num{text-align:right;font-variant-numeric:tabular-nums}
</style></head><body>
<h1>fedledger demo: federated 30-day readmission model</h1>
${ledgerBanner}
<p>Three hospitals trained one MLP over ${summary.rounds} rounds without sharing data (synthetic cohort of ${summary.dataset.rows} patients, ${esc(summary.dataset.split)}).
Every accuracy below is on the same pooled held-out set of ${summary.dataset.heldOutRows} patients.</p>
<table>
<tr><th>Federated (final global model)</th><td class="num">${pct(summary.finalAccuracy)}</td></tr>
<tr><th>Federated (round ${summary.selectedRound}, selected by the consortium’s validation accuracy; the goal is judged on it)</th><td class="num">${pct(summary.selectedAccuracy)}</td></tr>
<tr><th>Centralized (pooled data, comparison only)</th><td class="num">${pct(summary.centralizedAccuracy)}</td></tr>
${hospitals.map((m) => `<tr><th>Local-only ${esc(m)}</th><td class="num">${pct(summary.localOnlyAccuracy[m] ?? NaN)}</td></tr>`).join('\n')}
<tr><th>Goal: at most ${points(goal.maxGapToCentralized)} points below centralized and above the best local-only</th><td class="${goal.met ? 'ok' : 'warn'}">${goal.met ? 'met' : 'NOT met'} (${points(goal.gapToCentralized)} points below centralized, best local-only ${pct(goal.bestLocalOnly)})</td></tr>
<tr><th>Input scaling</th><td>${summary.inputScaling.source === 'federation' ? 'one scaling recorded with the federation on the ledger, applied by every hospital' : 'each hospital’s own training statistics (the federation records none)'}</td></tr>
<tr><th>Final model hash</th><td><code>${esc(summary.finalModelHash)}</code></td></tr>
<tr><th>Verified by the auditor against the ledger</th><td class="${summary.verifiedByAuditor ? 'ok' : 'warn'}">${summary.verifiedByAuditor ? 'yes' : 'NO'}</td></tr>
<tr><th>Auditor asking for the weights</th><td>${esc(summary.audit.auditorWeightsAccess)}</td></tr>
</table>
<p><small>${esc(summary.accuracyNote)}</small></p>
<h2>Accuracy per round</h2>
${accuracyChart(summary)}
<table><tr><th>round</th><th>global accuracy</th>${perHospital.map((m) => `<th>as deployed at ${esc(m)}</th>`).join('')}<th>seconds</th><th>model hash</th></tr>
${summary.roundAccuracy
  .map(
    (r) =>
      `<tr><td>${r.round}</td><td class="num">${pct(r.accuracy)}</td>${perHospital.map((m) => `<td class="num">${pct(r.byHospital?.[m] ?? NaN)}</td>`).join('')}<td class="num">${r.round === 0 ? '' : (summary.roundSeconds[r.round - 1] ?? NaN).toFixed(1)}</td><td><code>${esc(r.modelHash.slice(0, 16))}…</code></td></tr>`,
  )
  .join('\n')}
</table>
<h2>Model lineage (from the auditor's gateway)</h2>
<table><tr><th>version</th><th>model hash</th><th>parent hash</th><th>contributors (weight in the aggregate, samples)</th><th>hospitals' own validation accuracy</th></tr>
${summary.audit.lineage
  .map(
    (v) =>
      `<tr><td>${v.version}</td><td><code>${esc(v.modelHash.slice(0, 16))}…</code></td><td><code>${v.parentHash ? `${esc(v.parentHash.slice(0, 16))}…` : '—'}</code></td><td>${v.contributors.map((c) => `${esc(c.mspId)} ${c.weight.toFixed(3)} (${c.numSamples})${c.accepted ? '' : ' REJECTED'}`).join('<br>')}</td><td>${v.evaluations.map((e) => `${esc(e.mspId)} ${e.accuracy === null ? '—' : pct(e.accuracy)}`).join('<br>')}</td></tr>`,
  )
  .join('\n')}
</table>
<p>Lineage intact (each parent hash is the previous version's hash): <b>${summary.audit.lineageIntact ? 'yes' : 'NO'}</b>.
Final model file (${summary.audit.finalModel.fileBytes} bytes) downloaded from ${esc(summary.audit.finalModel.downloadedFrom)}'s gateway, SHA-256 <code>${esc(summary.audit.finalModel.fileSha256)}</code>;
the auditor's ledger lookup: ${summary.audit.finalModel.verification.found ? `federation ${esc(summary.audit.finalModel.verification.federationId ?? '')}, version ${summary.audit.finalModel.verification.version ?? ''}, round ${summary.audit.finalModel.verification.round ?? ''}` : 'NOT FOUND'}.</p>
<h2>Audit timeline (${timeline.length} transactions, from the auditor's gateway)</h2>
${summary.ledger === 'in-process' ? '<p><small>Timestamps come from the in-process ledger’s simulated clock (one second per transaction), not from a Fabric orderer.</small></p>' : ''}
<table><tr><th>#</th><th>timestamp</th><th>org</th><th>action</th><th>target</th><th>tx id</th></tr>
${timeline.map((e, i) => `<tr><td>${i + 1}</td><td>${esc(e.timestamp)}</td><td>${esc(e.actorMsp)}</td><td>${esc(e.action)}</td><td>${esc(e.target)}</td><td><code>${esc(e.txId.slice(0, 12))}…</code></td></tr>`).join('\n')}
</table>
<p>Generated ${esc(summary.startedAt)} · tfjs backend ${esc(summary.tfjsBackend)} · wall time ${summary.wallSeconds.toFixed(0)} s.</p>
</body></html>
`;
}

/** Inline SVG: the global model per round, with centralized and local-only accuracies as reference lines. */
function accuracyChart(summary: DemoSummary): string {
  const width = 720;
  const height = 360;
  const pad = { left: 56, right: 200, top: 16, bottom: 40 };
  const rounds = summary.roundAccuracy.map((r) => r.round);
  const maxRound = Math.max(1, ...rounds);
  const values = [
    ...summary.roundAccuracy.map((r) => r.accuracy),
    summary.centralizedAccuracy,
    ...Object.values(summary.localOnlyAccuracy),
  ];
  const low = Math.max(0, Math.floor(Math.min(...values) * 20) / 20 - 0.05);
  const high = Math.min(1, Math.ceil(Math.max(...values) * 20) / 20 + 0.02);
  const x = (round: number): number =>
    pad.left + (round / maxRound) * (width - pad.left - pad.right);
  const y = (value: number): number =>
    pad.top + (1 - (value - low) / (high - low)) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  for (let tick = Math.ceil(low * 20) / 20; tick <= high + 1e-9; tick += 0.05) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/><text x="${pad.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${(tick * 100).toFixed(0)}%</text>`,
    );
  }
  for (const round of rounds)
    parts.push(
      `<text x="${x(round)}" y="${height - pad.bottom + 16}" text-anchor="middle" font-size="11">${round}</text>`,
    );
  parts.push(
    `<text x="${(pad.left + width - pad.right) / 2}" y="${height - 6}" text-anchor="middle" font-size="12">round</text>`,
  );
  const legend: Array<{ label: string; color: string; dash: boolean }> = [];
  const hline = (value: number, color: string, label: string): void => {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(value)}" y2="${y(value)}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.5"/>`,
    );
    legend.push({ label: `${label} ${pct(value)}`, color, dash: true });
  };
  hline(summary.centralizedAccuracy, '#d62728', 'centralized');
  Object.entries(summary.localOnlyAccuracy).forEach(([mspId, value], i) => {
    hline(value, COLORS[(i + 1) % COLORS.length], `local-only ${mspId}`);
  });
  const points = summary.roundAccuracy.map((r) => `${x(r.round)},${y(r.accuracy)}`).join(' ');
  parts.push(`<polyline points="${points}" fill="none" stroke="${COLORS[0]}" stroke-width="2.5"/>`);
  for (const r of summary.roundAccuracy)
    parts.push(
      `<circle cx="${x(r.round)}" cy="${y(r.accuracy)}" r="3.5" fill="${COLORS[0]}"><title>round ${r.round}: ${pct(r.accuracy)}</title></circle>`,
    );
  legend.unshift({
    label: `federated ${pct(summary.finalAccuracy)}`,
    color: COLORS[0],
    dash: false,
  });
  legend.forEach((item, i) => {
    const ly = pad.top + 10 + i * 20;
    const lx = width - pad.right + 12;
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${item.color}" stroke-width="2"${item.dash ? ' stroke-dasharray="6 4"' : ''}/><text x="${lx + 30}" y="${ly + 4}" font-size="11">${esc(item.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="accuracy per round">${parts.join('')}</svg>`;
}

function points(fraction: number): string {
  return (fraction * 100).toFixed(1);
}

function pct(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '—';
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
