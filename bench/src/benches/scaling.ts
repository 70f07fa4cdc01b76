import type { StrategyConfig } from '@fedledger/core';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import type { RoundTiming } from '../federation/round-loop';
import { runLedgerFederation } from '../federation/ledger-federation';
import { LEDGER_LABEL } from '../federation/ledger-world';
import { medianTiming } from '../federation/round-timing';
import { buildScenario, hiddenUnitsForParams } from '../federation/scenario';
import { warmUp } from '../federation/warm-up';
import { markdownTable } from '../report/table';

interface Case {
  orgs: number;
  targetParams: number;
  paramCount: number;
  rowsPerOrg: number;
  coordinator: RoundTiming;
  ledger: RoundTiming;
}

runBench(
  {
    name: 'scaling',
    summary: `in-process round time at 3 and 5 orgs × ~100k and ~1M parameters (wider MLPs), coordinator vs in-process ledger (${LEDGER_LABEL})`,
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 1 : 3;
    const rowsPerOrg = args.quick ? 300 : 800;
    const targets = args.quick ? [20_000, 100_000] : [100_000, 1_000_000];
    const strategy: StrategyConfig = { name: 'fedavg' };
    const hyperParameters = { ...DEMO_HYPER_PARAMETERS, epochs: 1 };
    const cases: Case[] = [];
    for (const target of targets) {
      for (const orgs of [3, 5]) {
        // Every org keeps the same number of rows, so adding orgs adds data (weak scaling).
        const scenario = buildScenario(
          demoScenario(args.quick, {
            orgs,
            rows: Math.round((orgs * rowsPerOrg) / 0.8),
            hiddenUnits: hiddenUnitsForParams(target, 12),
          }),
        );
        await warmUp(scenario);
        progress(`scaling: ${orgs} orgs, ${scenario.paramCount} params: coordinator`);
        const coordinator = medianTiming(
          await runCoordinatorFederation({ scenario, strategy, hyperParameters, rounds }),
        );
        progress(`scaling: ${orgs} orgs, ${scenario.paramCount} params: in-process ledger`);
        const ledger = medianTiming(
          await runLedgerFederation({
            scenario,
            strategy,
            hyperParameters,
            rounds,
            federationId: 'scaling-bench',
          }),
        );
        cases.push({
          orgs,
          targetParams: target,
          paramCount: scenario.paramCount,
          rowsPerOrg,
          coordinator,
          ledger,
        });
      }
    }
    const base = cases[0];
    const table = markdownTable(
      [
        'orgs',
        'params',
        'coordinator round s',
        'ledger round s',
        'of which in ledger calls s',
        'Aggregate tx s',
        'SubmitUpdate s (all orgs)',
        'ledger round vs 3 orgs, smallest model',
      ],
      cases.map((c) => [
        c.orgs,
        c.paramCount,
        c.coordinator.total,
        c.ledger.total,
        c.ledger.ledgerCalls ?? Number.NaN,
        c.ledger.aggregate,
        c.ledger.submit,
        `${(c.ledger.total / base.ledger.total).toFixed(2)}×`,
      ]),
    );
    return {
      table,
      notes: [
        `Median per round over ${rounds} round(s); ${rowsPerOrg} training rows per org, 1 local epoch, batch ${hyperParameters.batchSize}, FedAvg; orgs train one after another on this ${backend.backend} tfjs backend, as one machine would.`,
        `The ledger is ${LEDGER_LABEL}; on Fabric every org's gateway and peer are separate processes (training in parallel across orgs) and endorsement/ordering/commit latency is added — neither is measured here.`,
      ],
      data: { rounds, cases },
    };
  },
);
