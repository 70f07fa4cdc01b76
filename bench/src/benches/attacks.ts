import {
  allocateCredits,
  cosineToAggregate,
  rewardWeight,
  type StrategyConfig,
} from '@fedledger/core';
import type { SplitMode } from '@fedledger/gateway/datasets';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import {
  ATTACKS,
  ATTACK_DESCRIPTIONS,
  attackedScenario,
  attackerIndices,
  tamperFor,
  type AttackName,
} from '../federation/attacks';
import { holdOutValidation, roundShapley } from '../federation/coalition-utilities';
import { DEMO_HYPER_PARAMETERS, DEMO_ROUNDS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import {
  buildScenario,
  orgMspId,
  type Scenario,
  type ScenarioOptions,
} from '../federation/scenario';
import { markdownTable } from '../report/table';

const STRATEGIES: { label: string; strategy: StrategyConfig }[] = [
  { label: 'FedAvg', strategy: { name: 'fedavg' } },
  { label: 'coordinate median', strategy: { name: 'median' } },
  { label: 'trimmed mean β=0.25', strategy: { name: 'trimmed-mean', params: { beta: 0.25 } } },
  {
    label: 'FedAvg + adaptive norm bound (1 × median)',
    strategy: { name: 'fedavg', adaptiveNormBound: 1 },
  },
  {
    label: 'FedAvg + cosine filter + adaptive norm bound',
    strategy: { name: 'fedavg', adaptiveNormBound: 1, cosineFilter: true },
  },
  { label: 'centered clipping (3 iterations, radius 1)', strategy: { name: 'centered-clipping' } },
];
/** The strategy the contribution scores are reported for (the recommended robust default, ADR 0024). */
const SCORED = 'centered clipping (3 iterations, radius 1)';
const CONSORTIA = [
  { orgs: 4, attackers: 1 },
  { orgs: 8, attackers: 2 },
];
const SPLITS: { label: string; options: Partial<ScenarioOptions> & { split: SplitMode } }[] = [
  { label: 'IID', options: { split: 'iid' } },
  { label: 'Dirichlet α=0.5', options: { split: 'dirichlet', alpha: 0.5 } },
  // Label skew without size skew: under the per-label split one org can hold most rows (63 % at
  // 1 of 4), which turns "25 % of the orgs attack" into most of the data attacking.
  {
    label: 'Dirichlet α=0.5, equal sizes',
    options: { split: 'dirichlet-equal-size', alpha: 0.5 },
  },
];
const CREDITS_PER_ROUND = 1000;

interface AccuracyRow {
  consortium: string;
  split: string;
  strategy: string;
  attack: AttackName | 'none';
  final: number;
  byRound: number[];
}
interface ContributionRow {
  consortium: string;
  split: string;
  attack: AttackName;
  /** Per round: the highest attacker Shapley value and the lowest honest one. */
  attackerShapley: number[];
  lowestHonestShapley: number[];
  attackerLowestFromRound2: boolean;
  attackerCredits: number[];
  attackerRows: number[];
  honestCredits: number[];
  honestRows: number[];
  /** Every org's Shapley value by round (the table shows only the extremes). */
  shapleyByRound: Record<string, number>[];
}
/** What the attackers' data are worth: FedAvg with the attackers left out entirely (a perfect detector's best case). */
interface HonestOnlyRow {
  consortium: string;
  split: string;
  attackerRowShare: number;
  honestOnly: number;
}

runBench(
  {
    name: 'attacks',
    flags: {
      'contributions-only': {
        type: 'boolean',
        description:
          'only the attacked cells of the scored strategy (contribution scores and credits)',
      },
      attacks: {
        type: 'string',
        description: `comma-separated attacks to run (default all: ${ATTACKS.join(',')})`,
      },
      splits: {
        type: 'string',
        description: `comma-separated splits to run (default all: ${SPLITS.map((s) => s.options.split).join(',')})`,
      },
    },
    summary:
      'poisoning attacks (sign-flip ×10, Gaussian noise, label flipping, free rider) at 1 of 4 and 2 of 8 orgs against FedAvg, median, trimmed mean, adaptive norm bounding, the cosine filter and centered clipping, IID, Dirichlet(0.5) per label and Dirichlet(0.5) with equal sizes; the honest orgs alone as the bound; Shapley contributions and credits of the scored strategy (in-process coordinator, no ledger)',
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : DEMO_ROUNDS;
    const attacks: (AttackName | 'none')[] = [
      'none',
      ...chosenAttacks(
        args.values['attacks'],
        args.quick ? ['sign-flip-x10', 'free-rider'] : ATTACKS,
      ),
    ];
    const accuracy: AccuracyRow[] = [];
    const contributions: ContributionRow[] = [];
    const honestOnly: HonestOnlyRow[] = [];
    const only = args.values['contributions-only'] === true;
    const splits = chosenSplits(args.values['splits']);
    for (const consortium of CONSORTIA) {
      for (const split of splits) {
        const base = buildScenario(
          demoScenario(args.quick, { ...split.options, orgs: consortium.orgs }),
        );
        const { scenario, pooled } = holdOutValidation(base, 0.2);
        const attackers = attackerIndices(consortium.attackers);
        if (!only) {
          progress(
            `attacks: ${consortium.attackers}/${consortium.orgs} ${split.label} honest orgs only`,
          );
          honestOnly.push(
            await honestOnlyRow(
              `${consortium.attackers} of ${consortium.orgs}`,
              split.label,
              scenario,
              attackers,
              rounds,
            ),
          );
        }
        for (const { label, strategy } of only
          ? STRATEGIES.filter((s) => s.label === SCORED)
          : STRATEGIES) {
          for (const attack of only ? attacks.filter((a) => a !== 'none') : attacks) {
            progress(
              `attacks: ${consortium.attackers}/${consortium.orgs} ${split.label} ${label} ${attack}`,
            );
            const scored = label === SCORED && attack !== 'none';
            const shapleyByRound: Record<string, number>[] = [];
            const cosineByRound: Record<string, number>[] = [];
            const tamper = tamperFor(attack, attackers);
            const run = await runCoordinatorFederation({
              scenario: attackedScenario(scenario, attack, attackers),
              strategy,
              hyperParameters: DEMO_HYPER_PARAMETERS,
              rounds,
              ...(tamper ? { tamper } : {}),
              ...(scored
                ? {
                    onAggregate: async (round, updates, previous, aggregate) => {
                      shapleyByRound.push(
                        (await roundShapley(scenario, pooled, updates, previous, `round-${round}`))
                          .values,
                      );
                      cosineByRound.push(
                        Object.fromEntries(
                          updates.map((u) => [
                            u.id,
                            cosineToAggregate(u.weights, previous, aggregate),
                          ]),
                        ),
                      );
                    },
                  }
                : {}),
            });
            const byRound = run.rounds.map((r) => r.testAccuracy);
            accuracy.push({
              consortium: `${consortium.attackers} of ${consortium.orgs}`,
              split: split.label,
              strategy: label,
              attack,
              final: run.finalAccuracy,
              byRound,
            });
            if (scored)
              contributions.push(
                contributionRow(
                  `${consortium.attackers} of ${consortium.orgs}`,
                  split.label,
                  attack,
                  attackers,
                  shapleyByRound,
                  cosineByRound,
                  scenario.orgs.map((o) => o.labels.length),
                ),
              );
          }
        }
      }
    }
    return {
      table: [
        ...(only ? [] : [accuracyTable(accuracy, attacks), honestOnlyTable(honestOnly, accuracy)]),
        contributionTable(contributions),
      ].join('\n\n'),
      notes: [
        `Attackers are Org1 (1 of 4) and Org1, Org2 (2 of 8). ${ATTACKS.map((a) => `${a}: ${ATTACK_DESCRIPTIONS[a]}`).join('; ')}.`,
        `${rounds} rounds × ${DEMO_HYPER_PARAMETERS.epochs} local epochs, batch ${DEMO_HYPER_PARAMETERS.batchSize}, Adam lr ${DEMO_HYPER_PARAMETERS.learningRate}; ${demoScenario(args.quick).rows} synthetic patients, 20% common test set, each org's share split 80/20 into training and validation rows. Same seeded data and batches in every cell.`,
        "Honest orgs only: FedAvg over the non-attacking orgs alone, clean (what a perfect detector that left out exactly the attackers would get with FedAvg: the attackers' data are lost either way); the attackers' share of the training rows beside it.",
        `Contributions: per round, the Shapley value of each update for the consortium validation log-loss score (1 − cross-entropy / 16.12, ADR 0029) of the sample-weighted mean of coalitions' updates (every coalition's utility from all orgs' validation rows; exact at 4 and 8 orgs, as SettleContributions computes it), under ${SCORED}; "attacker Shapley" is the highest attacker's; credits: ${CREDITS_PER_ROUND} per round split by positive Shapley value × positive cosine with the aggregate's step (core's rewardWeight and allocateCredits, as SettleContributions).`,
        `tfjs backend: ${backend.backend}. In-process coordinator (core strategies + the gateway trainer), no ledger: the ledger runs the same core code, so the learning is identical.`,
      ],
      data: { rounds, accuracy, honestOnly, contributions },
    };
  },
);

function chosenAttacks(
  value: string | boolean | undefined,
  fallback: readonly AttackName[],
): AttackName[] {
  if (typeof value !== 'string') return [...fallback];
  const names = value.split(',');
  const unknown = names.filter((name) => !(ATTACKS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `--attacks takes a comma-separated list of ${ATTACKS.join(', ')}; got ${value}`,
    );
  return names as AttackName[];
}

function chosenSplits(value: string | boolean | undefined): typeof SPLITS {
  if (typeof value !== 'string') return SPLITS;
  const names = value.split(',');
  const known: string[] = SPLITS.map((s) => s.options.split);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`--splits takes a comma-separated list of ${known.join(', ')}; got ${value}`);
  return SPLITS.filter((s) => names.includes(s.options.split));
}

async function honestOnlyRow(
  consortium: string,
  split: string,
  scenario: Scenario,
  attackers: readonly number[],
  rounds: number,
): Promise<HonestOnlyRow> {
  const rows = scenario.orgs.map((o) => o.labels.length);
  const total = rows.reduce((a, b) => a + b, 0);
  const orgs = scenario.orgs.filter((_, k) => !attackers.includes(k));
  const run = await runCoordinatorFederation({
    scenario: { ...scenario, orgs },
    strategy: { name: 'fedavg' },
    hyperParameters: DEMO_HYPER_PARAMETERS,
    rounds,
  });
  return {
    consortium,
    split,
    attackerRowShare: attackers.reduce((sum, k) => sum + rows[k], 0) / total,
    honestOnly: run.finalAccuracy,
  };
}

function contributionRow(
  consortium: string,
  split: string,
  attack: AttackName,
  attackerIndexes: readonly number[],
  byRound: Record<string, number>[],
  cosines: Record<string, number>[],
  rows: number[],
): ContributionRow {
  const attackers = attackerIndexes.map(orgMspId);
  const credits: Record<string, number> = {};
  for (const [r, values] of byRound.entries()) {
    const weights = Object.fromEntries(
      Object.entries(values).map(([org, shapley]) => [
        org,
        rewardWeight(shapley, cosines[r]?.[org] ?? 0),
      ]),
    );
    for (const [org, c] of Object.entries(allocateCredits(CREDITS_PER_ROUND, weights)))
      credits[org] = (credits[org] ?? 0) + c;
  }
  const honest = scenarioOrder(
    Object.keys(byRound[0] ?? {}).filter((org) => !attackers.includes(org)),
  );
  const rowsOf = (org: string): number => rows[Number(org.slice(3, -3)) - 1];
  const attackerShapley = byRound.map((v) => Math.max(...attackers.map((org) => v[org])));
  const lowestHonestShapley = byRound.map((v) => Math.min(...honest.map((org) => v[org])));
  return {
    consortium,
    split,
    attack,
    attackerShapley,
    lowestHonestShapley,
    attackerLowestFromRound2: attackerShapley.every(
      (s, r) => r === 0 || s < lowestHonestShapley[r],
    ),
    attackerCredits: attackers.map((org) => credits[org] ?? 0),
    attackerRows: attackers.map(rowsOf),
    honestCredits: honest.map((org) => credits[org] ?? 0),
    honestRows: honest.map(rowsOf),
    shapleyByRound: byRound,
  };
}

/** Org ids in org order (Org2 before Org10). */
function scenarioOrder(ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => Number(a.slice(3, -3)) - Number(b.slice(3, -3)));
}

function honestOnlyTable(rows: HonestOnlyRow[], accuracy: AccuracyRow[]): string {
  return markdownTable(
    [
      'attackers',
      'split',
      "attackers' share of the rows",
      'FedAvg, every org honest',
      'FedAvg, honest orgs only (Δ pt)',
    ],
    rows.map((r) => {
      const clean =
        accuracy.find(
          (a) =>
            a.consortium === r.consortium &&
            a.split === r.split &&
            a.strategy === 'FedAvg' &&
            a.attack === 'none',
        )?.final ?? Number.NaN;
      return [
        r.consortium,
        r.split,
        `${(100 * r.attackerRowShare).toFixed(0)} %`,
        clean.toFixed(4),
        `${r.honestOnly.toFixed(4)} (${r.honestOnly - clean >= 0 ? '+' : ''}${(100 * (r.honestOnly - clean)).toFixed(1)})`,
      ];
    }),
  );
}

function accuracyTable(rows: AccuracyRow[], attacks: (AttackName | 'none')[]): string {
  const keys = [...new Set(rows.map((r) => `${r.consortium}|${r.split}|${r.strategy}`))];
  return markdownTable(
    [
      'attackers',
      'split',
      'strategy',
      'clean',
      ...attacks.filter((a) => a !== 'none').map((a) => `${a} (Δ pt)`),
    ],
    keys.map((k) => {
      const [consortium, split, strategy] = k.split('|') as [string, string, string];
      const cell = (attack: AttackName | 'none'): AccuracyRow | undefined =>
        rows.find(
          (r) =>
            r.consortium === consortium &&
            r.split === split &&
            r.strategy === strategy &&
            r.attack === attack,
        );
      const clean = cell('none')?.final ?? Number.NaN;
      return [
        consortium,
        split,
        strategy,
        clean.toFixed(4),
        ...attacks
          .filter((a) => a !== 'none')
          .map((a) => {
            const final = cell(a)?.final ?? Number.NaN;
            return `${final.toFixed(4)} (${final - clean >= 0 ? '+' : ''}${(100 * (final - clean)).toFixed(1)})`;
          }),
      ];
    }),
  );
}

function contributionTable(rows: ContributionRow[]): string {
  return markdownTable(
    [
      'attackers',
      'split',
      'attack',
      'attacker Shapley by round',
      'lowest honest Shapley by round',
      'attackers lowest from round 2',
      'attacker credits (rows)',
      'honest credits (rows)',
    ],
    rows.map((r) => [
      r.consortium,
      r.split,
      r.attack,
      r.attackerShapley.map((s) => s.toFixed(4)).join(' '),
      r.lowestHonestShapley.map((s) => s.toFixed(4)).join(' '),
      r.attackerLowestFromRound2 ? 'yes' : 'NO',
      r.attackerCredits.map((c, i) => `${c} (${r.attackerRows[i]})`).join(', '),
      r.honestCredits.map((c, i) => `${c} (${r.honestRows[i]})`).join(', '),
    ]),
  );
}
