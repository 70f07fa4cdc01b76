import { median, ratio } from '../report/stats';
import { markdownTable } from '../report/table';
import { sideBySideRows, steadyRound, type SystemRun } from './comparison';
import type { FabricRunResult } from './fabric-run-result';
import type { FlowerDeployedRun } from './flower-deployment';
import { mean, type FlowerRounds } from './flower-result';
import { bytesByRound, roundAnatomy, type RoundAnatomy } from './round-anatomy';

/** One org count (or BatchTimeout variant) of the flower-deployed bench. */
export interface DeployedCase {
  orgs: number;
  fabric: FabricRunResult;
  /** The Fabric run's orderer BatchTimeout. */
  batchTimeout: string;
  /** Whether that is network.config's (the comparison and scaling rows) or an extra variant. */
  defaultTimeout: boolean;
  flower?: { run: FlowerDeployedRun; rounds: FlowerRounds };
}

/** Against the mean round: the gateways' per-call means cover every round, the first included. */
export function anatomyOf(fabric: FabricRunResult): RoundAnatomy {
  return roundAnatomy(mean(fabric.roundSeconds), fabric.roundMetrics);
}

export function fabricSystemRun(c: DeployedCase): SystemRun {
  const phase = (name: string): { seconds: number; bytes: number } =>
    c.fabric.phases.find((p) => p.phase === name) ?? { seconds: Number.NaN, bytes: Number.NaN };
  const startup = phase('startup');
  const federation = phase('federation');
  // Start-up, rounds, final evaluations and down: what an operator waits for (not the bench's own data preparation and collection).
  const endToEnd = c.fabric.phases
    .filter((p) => p.phase !== 'prepare' && p.phase !== 'collect')
    .reduce((sum, p) => sum + p.seconds, 0);
  return {
    orgs: c.orgs,
    system: c.defaultTimeout
      ? 'fedledger on Fabric'
      : `fedledger on Fabric (BatchTimeout ${c.batchTimeout})`,
    startupSeconds: startup.seconds,
    roundSeconds: c.fabric.roundSeconds,
    roundsSeconds: federation.seconds,
    endToEndSeconds: endToEnd,
    startupBytes: startup.bytes,
    bytesByRound: bytesByRound(c.fabric.roundMarks),
    roundsBytes: federation.bytes,
    accuracyByRound: c.fabric.accuracyByRound,
    isPeer: false,
  };
}

export function flowerSystemRun(
  orgs: number,
  flower: NonNullable<DeployedCase['flower']>,
): SystemRun {
  return {
    orgs,
    system: `Flower ${flower.run.flwrVersion} deployed`,
    startupSeconds: flower.run.startup.seconds,
    roundSeconds: flower.rounds.roundSeconds,
    roundsSeconds: flower.run.run.seconds,
    endToEndSeconds:
      flower.run.startup.seconds + flower.run.run.seconds + flower.run.teardown.seconds,
    startupBytes: flower.run.startup.bytes,
    bytesByRound: flower.rounds.bytesByRound,
    roundsBytes: flower.run.run.bytes,
    accuracyByRound: flower.rounds.accuracyByRound,
    isPeer: true,
  };
}

export function systemRuns(cases: readonly DeployedCase[]): SystemRun[] {
  return cases.flatMap((c) => [
    fabricSystemRun(c),
    ...(c.flower ? [flowerSystemRun(c.orgs, c.flower)] : []),
  ]);
}

/** §5: both systems side by side per org count. */
export function comparisonTable(cases: readonly DeployedCase[], rounds: number): string {
  return markdownTable(
    [
      'orgs',
      'system',
      'start-up s',
      'round 1 s',
      'round s (median 2..)',
      'vs Flower',
      `${rounds} rounds s`,
      'end-to-end s',
      'MB start-up',
      'kB per round (median)',
      'MB rounds',
      'accuracy by round (held-out)',
    ],
    sideBySideRows(systemRuns(cases)),
  );
}

/** §4: where fedledger's round goes on Fabric, and Flower's phases for contrast. */
export function anatomyTables(cases: readonly DeployedCase[]): string {
  const fabric = markdownTable(
    [
      'orgs',
      'BatchTimeout',
      'round s (mean)',
      'training',
      'fetch + event → training',
      'SubmitUpdate',
      'Aggregate',
      'wait + notify',
      'RecordEvaluation (off path)',
      'Aggregate ok / failed',
      'ledger share of the round',
    ],
    cases.map((c) => {
      const a = anatomyOf(c.fabric);
      const [low, high] = [a.ledgerShareLow, a.ledgerShareHigh].sort((x, y) => x - y) as [
        number,
        number,
      ];
      const aggregations = c.fabric.roundMetrics.aggregations;
      return [
        c.orgs,
        c.batchTimeout,
        a.roundSeconds,
        a.training,
        a.eventToTraining,
        a.submit,
        a.aggregate,
        a.waitAndNotify,
        a.recordEvaluation,
        `${aggregations.succeeded} / ${aggregations.failed}`,
        pct(low) === pct(high) ? pct(low) : `${pct(low)}–${pct(high)}`,
      ];
    }),
  );
  const flower = markdownTable(
    [
      'orgs',
      'round s (median 2..)',
      'fit phase s',
      'of it: client training s',
      'evaluate phase s',
      'flwr-clientapp processes started',
    ],
    cases.flatMap((c) =>
      c.flower
        ? [
            [
              c.orgs,
              steadyRound(c.flower.rounds.roundSeconds),
              steadyRound(c.flower.rounds.fitSeconds),
              steadyRound(c.flower.rounds.clientTrainSeconds),
              steadyRound(c.flower.rounds.evaluateSeconds),
              c.flower.run.clientAppStarts,
            ],
          ]
        : [],
    ),
  );
  return `fedledger on Fabric (seconds per round: per-call means over every round from the orgs' gateway /metrics, against the mean round):\n\n${fabric}\n\nFlower deployed, for contrast (seconds, medians over rounds 2..):\n\n${flower}`;
}

/** §6: each system at every org count against itself at the first (smallest listed) one. */
export function scalingTable(cases: readonly DeployedCase[]): string {
  const runs = systemRuns(cases.filter((c) => c.defaultTimeout));
  const baseOrgs = runs.at(0)?.orgs;
  return markdownTable(
    [
      'orgs',
      'system',
      'round s (median 2..)',
      `vs ${baseOrgs ?? '?'} orgs`,
      'kB per round (median)',
      `vs ${baseOrgs ?? '?'} orgs `,
      'start-up s',
      'end-to-end s',
    ],
    runs.map((run) => {
      const base = runs.find((other) => other.system === run.system && other.orgs === baseOrgs);
      const kb = median(run.bytesByRound.length > 0 ? run.bytesByRound : [Number.NaN]) / 1e3;
      const baseKb =
        base === undefined
          ? Number.NaN
          : median(base.bytesByRound.length > 0 ? base.bytesByRound : [Number.NaN]) / 1e3;
      return [
        run.orgs,
        run.system,
        steadyRound(run.roundSeconds),
        base === undefined
          ? 'n/a'
          : `${ratio(steadyRound(run.roundSeconds), steadyRound(base.roundSeconds)).toFixed(2)}×`,
        kb,
        base === undefined ? 'n/a' : `${ratio(kb, baseKb).toFixed(2)}×`,
        run.startupSeconds,
        run.endToEndSeconds,
      ];
    }),
  );
}

/** Per Fabric run: how much of the rounds' loopback traffic was the demo driver's REST polling of the gateways. */
export function driverShareNote(cases: readonly DeployedCase[]): string {
  const parts = cases.map((c) => {
    const federation = c.fabric.phases.find((p) => p.phase === 'federation');
    if (federation === undefined) return `${c.orgs} orgs: n/a`;
    return `${c.orgs} orgs${c.defaultTimeout ? '' : ` (BatchTimeout ${c.batchTimeout})`}: ${(federation.driverBodyBytes / 1e6).toFixed(2)} of ${(federation.bytes / 1e6).toFixed(2)} MB (${Math.round((100 * federation.driverBodyBytes) / federation.bytes)} %)`;
  });
  return `Of fedledger's loopback bytes during the rounds, the demo driver's REST bodies (its fetch calls to the gateways: listing versions every 100 ms, downloading and scoring each global model; HTTP headers not counted): ${parts.join('; ')}. The rest is the ledger: gateways ↔ peers, peers ↔ orderers, orderers' consensus, peers' gossip, chaincode servers.`;
}

/** Per Fabric run: the rounds' TCP payload by kind of connection (the largest first). */
export function connectionNote(cases: readonly DeployedCase[]): string | undefined {
  const parts = cases.flatMap((c) => {
    const byKind = c.fabric.connectionBytes;
    const federation = c.fabric.phases.find((p) => p.phase === 'federation');
    if (byKind === undefined || federation === undefined) return [];
    const total = Object.values(byKind).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, bytes]) => `${kind} ${(bytes / 1e6).toFixed(2)}`)
      .join(', ');
    return [
      `${c.orgs} orgs${c.defaultTimeout ? '' : ` (BatchTimeout ${c.batchTimeout})`}: ${kinds} (sum ${(total / 1e6).toFixed(2)} MB of payload against ${(federation.bytes / 1e6).toFixed(2)} MB on lo)`,
    ];
  });
  if (parts.length === 0) return undefined;
  return `fedledger's rounds by kind of connection, client → server, in MB of TCP payload (ss -ti snapshots inside the namespace at the start and end of the rounds; lo adds IP/TCP headers and ACKs, and connections opened and closed in between are missed): ${parts.join('; ')}.`;
}

/** One line per extra BatchTimeout run against the default run at the same org count. */
export function batchTimeoutNotes(cases: readonly DeployedCase[]): string[] {
  return cases
    .filter((c) => !c.defaultTimeout)
    .flatMap((c) => {
      const base = cases.find((other) => other.defaultTimeout && other.orgs === c.orgs);
      if (base === undefined) return [];
      const a = anatomyOf(c.fabric);
      const b = anatomyOf(base.fabric);
      return [
        `BatchTimeout ${c.batchTimeout} against ${base.batchTimeout} at ${c.orgs} orgs (fedledger on Fabric, same session): median round (2..) ${steadyRound(c.fabric.roundSeconds).toFixed(2)} s vs ${steadyRound(base.fabric.roundSeconds).toFixed(2)} s (×${ratio(steadyRound(c.fabric.roundSeconds), steadyRound(base.fabric.roundSeconds)).toFixed(2)}); SubmitUpdate ${a.submit.toFixed(3)} vs ${b.submit.toFixed(3)} s, Aggregate ${a.aggregate.toFixed(3)} vs ${b.aggregate.toFixed(3)} s.`,
      ];
    });
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
