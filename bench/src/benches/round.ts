import type { StrategyConfig } from '@fedledger/core';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import type { RoundTiming } from '../federation/round-loop';
import { runLedgerFederation } from '../federation/ledger-federation';
import { LEDGER_LABEL } from '../federation/ledger-world';
import { buildScenario, hiddenUnitsForParams } from '../federation/scenario';
import { medianTiming } from '../federation/round-timing';
import { warmUp } from '../federation/warm-up';
import { markdownTable } from '../report/table';

const PHASES: (keyof RoundTiming)[] = ['training', 'submit', 'aggregate', 'evaluation', 'total'];

interface Case {
  label: string;
  paramCount: number;
  coordinator: RoundTiming;
  ledger: RoundTiming;
}

runBench(
  {
    name: 'round',
    summary: `wall time per round by phase: in-process ledger (${LEDGER_LABEL}) vs an in-process coordinator with the same core code, 3 orgs, FedAvg`,
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : 3;
    const strategy: StrategyConfig = { name: 'fedavg' };
    const models = [
      { label: 'demo MLP', hiddenUnits: undefined as number[] | undefined },
      {
        label: 'wide MLP',
        hiddenUnits: hiddenUnitsForParams(args.quick ? 100_000 : 1_000_000, 12),
      },
    ];
    const cases: Case[] = [];
    for (const model of models) {
      // The wide model trains on fewer rows and one epoch so the case stays within a minute.
      const wide = model.hiddenUnits !== undefined;
      const scenario = buildScenario(
        demoScenario(args.quick, wide ? { rows: 3000, hiddenUnits: model.hiddenUnits } : {}),
      );
      const hyperParameters = wide
        ? { ...DEMO_HYPER_PARAMETERS, epochs: 1 }
        : DEMO_HYPER_PARAMETERS;
      await warmUp(scenario);
      progress(
        `round: ${model.label} (${scenario.paramCount} params), coordinator, ${rounds} rounds`,
      );
      const coordinator = await runCoordinatorFederation({
        scenario,
        strategy,
        hyperParameters,
        rounds,
        onRound: (o) => {
          progress(`  round ${o.round}: ${o.timing.total.toFixed(2)} s`);
        },
      });
      progress(`round: ${model.label}, in-process ledger, ${rounds} rounds`);
      const ledger = await runLedgerFederation({
        scenario,
        strategy,
        hyperParameters,
        rounds,
        federationId: 'round-bench',
        onRound: (o) => {
          progress(`  round ${o.round}: ${o.timing.total.toFixed(2)} s`);
        },
      });
      cases.push({
        label: `${model.label}, ${scenario.paramCount} params`,
        paramCount: scenario.paramCount,
        coordinator: medianTiming(coordinator),
        ledger: medianTiming(ledger),
      });
    }
    const rows = cases.flatMap((c) => [
      [
        c.label,
        'coordinator (no ledger)',
        ...PHASES.map((p) => c.coordinator[p] as number),
        '',
        '',
      ],
      [
        c.label,
        'in-process ledger',
        ...PHASES.map((p) => c.ledger[p] as number),
        c.ledger.ledgerCalls ?? Number.NaN,
        `${((100 * (c.ledger.ledgerCalls ?? Number.NaN)) / c.ledger.total).toFixed(1)} %`,
      ],
    ]);
    const table = markdownTable(
      [
        'model',
        'run',
        'training s',
        'submit s',
        'aggregate s',
        'evaluation s',
        'round s',
        'in ledger calls s',
        'chaincode share of round',
      ],
      rows,
    );
    return {
      table,
      notes: [
        `Median per round over ${rounds} rounds; 3 orgs run one after another in one process (tfjs ${backend.backend}${backend.wasmMatMulFix ? ' + BatchMatMul fix' : ''}).`,
        'Ledger phases: submit = 3 SubmitUpdate transactions; aggregate = one Aggregate transaction; evaluation = per org GetGlobalWeights + evaluate + RecordEvaluation. Coordinator phases: submit = decoding the 3 updates; aggregate = the core strategy; evaluation = 3 evaluations.',
        '"in ledger calls" is the time spent inside LedgerApi calls; its share of the round is the chaincode-logic overhead.',
        `The ledger here is ${LEDGER_LABEL}. Real Fabric adds endorsement (every endorsing peer re-runs Aggregate), ordering, validation, commit and private-data dissemination latency, which are not measured here.`,
      ],
      data: { rounds, cases },
    };
  },
);
