import { allocateCredits, cosineToAggregate, rewardWeight, type StrategyConfig } from '@fedledger/core';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { ATTACKS, ATTACK_DESCRIPTIONS, attackedScenario, attackerIndices, tamperFor, type AttackName } from '../federation/attacks';
import { holdOutValidation, roundShapley } from '../federation/coalition-utilities';
import { DEMO_HYPER_PARAMETERS, DEMO_ROUNDS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import { buildScenario, type ScenarioOptions } from '../federation/scenario';
import { markdownTable } from '../report/table';

const STRATEGIES: { label: string; strategy: StrategyConfig }[] = [
  { label: 'FedAvg', strategy: { name: 'fedavg' } },
  { label: 'coordinate median', strategy: { name: 'median' } },
  { label: 'trimmed mean β=0.25', strategy: { name: 'trimmed-mean', params: { beta: 0.25 } } },
  { label: 'FedAvg + adaptive norm bound (1 × median)', strategy: { name: 'fedavg', adaptiveNormBound: 1 } },
  { label: 'FedAvg + cosine filter + adaptive norm bound', strategy: { name: 'fedavg', adaptiveNormBound: 1, cosineFilter: true } },
];
/** The strategy the contribution scores are reported for (the recommended robust default, ADR 0017). */
const SCORED = 'FedAvg + cosine filter + adaptive norm bound';
const CONSORTIA = [
  { orgs: 4, attackers: 1 },
  { orgs: 8, attackers: 2 },
];
const SPLITS: { label: string; options: Partial<ScenarioOptions> }[] = [
  { label: 'IID', options: { split: 'iid' } },
  { label: 'Dirichlet α=0.5', options: { split: 'dirichlet', alpha: 0.5 } },
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
  split: string;
  attack: AttackName;
  /** Per round: the attacker's Shapley value and the lowest honest one. */
  attackerShapley: number[];
  lowestHonestShapley: number[];
  attackerLowestFromRound2: boolean;
  attackerCredits: number;
  honestCredits: number[];
  honestRows: number[];
  attackerRows: number;
}

runBench(
  {
    name: 'attacks',
    flags: { 'contributions-only': { type: 'boolean', description: 'only the 1-of-4 cells of the scored strategy (contribution scores and credits)' } },
    summary: 'poisoning attacks (sign-flip ×10, Gaussian noise, label flipping, free rider) at 1 of 4 and 2 of 8 orgs against FedAvg, median, trimmed mean and adaptive norm bounding, IID and Dirichlet(0.5); Shapley contributions and credits at 1 of 4 (in-process coordinator, no ledger)',
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : DEMO_ROUNDS;
    const attacks: (AttackName | 'none')[] = args.quick ? ['none', 'sign-flip-x10', 'free-rider'] : ['none', ...ATTACKS];
    const accuracy: AccuracyRow[] = [];
    const contributions: ContributionRow[] = [];
    const only = args.values['contributions-only'] === true;
    for (const consortium of only ? CONSORTIA.slice(0, 1) : CONSORTIA) {
      for (const split of SPLITS) {
        const base = buildScenario(demoScenario(args.quick, { ...split.options, orgs: consortium.orgs }));
        const { scenario, pooled } = holdOutValidation(base, 0.2);
        const attackers = attackerIndices(consortium.attackers);
        for (const { label, strategy } of only ? STRATEGIES.filter((s) => s.label === SCORED) : STRATEGIES) {
          for (const attack of only ? attacks.filter((a) => a !== 'none') : attacks) {
            progress(`attacks: ${consortium.attackers}/${consortium.orgs} ${split.label} ${label} ${attack}`);
            const scored = consortium.orgs === 4 && label === SCORED && attack !== 'none';
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
                      shapleyByRound.push((await roundShapley(scenario, pooled, updates, previous, `round-${round}`)).values);
                      cosineByRound.push(Object.fromEntries(updates.map((u) => [u.id, cosineToAggregate(u.weights, previous, aggregate)])));
                    },
                  }
                : {}),
            });
            const byRound = run.rounds.map((r) => r.testAccuracy);
            accuracy.push({ consortium: `${consortium.attackers} of ${consortium.orgs}`, split: split.label, strategy: label, attack, final: run.finalAccuracy, byRound });
            if (scored) contributions.push(contributionRow(split.label, attack as AttackName, shapleyByRound, cosineByRound, scenario.orgs.map((o) => o.labels.length)));
          }
        }
      }
    }
    return {
      table: `${accuracyTable(accuracy, attacks)}\n\n${contributionTable(contributions)}`,
      notes: [
        `Attackers are Org1 (1 of 4) and Org1, Org2 (2 of 8). ${ATTACKS.map((a) => `${a}: ${ATTACK_DESCRIPTIONS[a]}`).join('; ')}.`,
        `${rounds} rounds × ${DEMO_HYPER_PARAMETERS.epochs} local epochs, batch ${DEMO_HYPER_PARAMETERS.batchSize}, Adam lr ${DEMO_HYPER_PARAMETERS.learningRate}; ${demoScenario(args.quick).rows} synthetic patients, 20% common test set, each org's share split 80/20 into training and validation rows. Same seeded data and batches in every cell.`,
        `Contributions: per round, the Shapley value of each update for the consortium validation accuracy of the sample-weighted mean of coalitions' updates (all 2^4 coalitions, honest utilities from every org: core's shapleyValues, as SettleContributions computes it), under ${SCORED}; credits: ${CREDITS_PER_ROUND} per round split by positive Shapley value × positive cosine with the aggregate's step (core's rewardWeight and allocateCredits, as SettleContributions).`,
        `tfjs backend: ${backend.backend}. In-process coordinator (core strategies + the gateway trainer), no ledger: the ledger runs the same core code, so the learning is identical.`,
      ],
      data: { rounds, accuracy, contributions },
    };
  },
);

function contributionRow(split: string, attack: AttackName, byRound: Record<string, number>[], cosines: Record<string, number>[], rows: number[]): ContributionRow {
  const attacker = 'Org1MSP';
  const credits: Record<string, number> = {};
  for (const [r, values] of byRound.entries()) {
    const weights = Object.fromEntries(Object.entries(values).map(([org, shapley]) => [org, rewardWeight(shapley, cosines[r]?.[org] ?? 0)]));
    for (const [org, c] of Object.entries(allocateCredits(CREDITS_PER_ROUND, weights))) credits[org] = (credits[org] ?? 0) + c;
  }
  const honest = Object.keys(byRound[0] ?? {}).filter((org) => org !== attacker).sort();
  const attackerShapley = byRound.map((v) => v[attacker] as number);
  const lowestHonestShapley = byRound.map((v) => Math.min(...honest.map((org) => v[org] as number)));
  return {
    split,
    attack,
    attackerShapley,
    lowestHonestShapley,
    attackerLowestFromRound2: attackerShapley.every((s, r) => r === 0 || s < (lowestHonestShapley[r] as number)),
    attackerCredits: credits[attacker] ?? 0,
    honestCredits: honest.map((org) => credits[org] ?? 0),
    honestRows: honest.map((org) => rows[Number(org.slice(3, -3)) - 1] as number),
    attackerRows: rows[0] as number,
  };
}

function accuracyTable(rows: AccuracyRow[], attacks: (AttackName | 'none')[]): string {
  const keys = [...new Set(rows.map((r) => `${r.consortium}|${r.split}|${r.strategy}`))];
  return markdownTable(
    ['attackers', 'split', 'strategy', 'clean', ...attacks.filter((a) => a !== 'none').map((a) => `${a} (Δ pt)`)],
    keys.map((k) => {
      const [consortium, split, strategy] = k.split('|') as [string, string, string];
      const cell = (attack: AttackName | 'none'): AccuracyRow | undefined => rows.find((r) => r.consortium === consortium && r.split === split && r.strategy === strategy && r.attack === attack);
      const clean = cell('none')?.final ?? Number.NaN;
      return [
        consortium,
        split,
        strategy,
        clean.toFixed(4),
        ...attacks.filter((a) => a !== 'none').map((a) => {
          const final = cell(a)?.final ?? Number.NaN;
          return `${final.toFixed(4)} (${final - clean >= 0 ? '+' : ''}${(100 * (final - clean)).toFixed(1)})`;
        }),
      ];
    }),
  );
}

function contributionTable(rows: ContributionRow[]): string {
  return markdownTable(
    ['split (1 of 4)', 'attack', 'attacker Shapley by round', 'lowest honest Shapley by round', 'attacker lowest from round 2', 'attacker credits', 'honest credits (rows)'],
    rows.map((r) => [
      r.split,
      r.attack,
      r.attackerShapley.map((s) => s.toFixed(4)).join(' '),
      r.lowestHonestShapley.map((s) => s.toFixed(4)).join(' '),
      r.attackerLowestFromRound2 ? 'yes' : 'NO',
      `${r.attackerCredits} (${r.attackerRows} rows)`,
      r.honestCredits.map((c, i) => `${c} (${r.honestRows[i]})`).join(', '),
    ]),
  );
}
