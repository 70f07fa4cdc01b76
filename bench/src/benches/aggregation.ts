import { createStrategy, encodeFlat, type StrategyName } from '@fedledger/core';
import { progress, runBench } from '../cli/run-bench';
import { LEDGER_LABEL, openLedgerWorld } from '../federation/ledger-world';
import { randomUpdates } from '../federation/random-updates';
import { median, ratio } from '../report/stats';
import { markdownTable } from '../report/table';

interface Cell {
  params: number;
  updates: number;
  strategy: StrategyName;
  repeats: number;
  directSeconds: number;
  directParamsPerSecond: number;
  chaincodeAggregateSeconds: number;
  chaincodeParamsPerSecond: number;
  /** Chaincode Aggregate time ÷ direct strategy time. */
  slowdown: number;
  /** Median SubmitUpdate transaction time for one update (stub writes, digest check, norm). */
  submitSecondsPerUpdate: number;
}

const STRATEGIES: StrategyName[] = ['fedavg', 'median'];

runBench(
  {
    name: 'aggregation',
    summary:
      'core strategies called directly vs the chaincode Aggregate transaction in process, per model size × updates × strategy',
    flags: {
      params: {
        type: 'string',
        description: 'comma-separated parameter counts',
        default: '100000,1000000,5000000',
      },
      updates: { type: 'string', description: 'comma-separated update counts', default: '3,10' },
    },
  },
  async (args) => {
    const sizes = args.quick ? [100_000, 1_000_000] : parseList(args.values.params as string);
    const counts = parseList(args.values.updates as string);
    const cells: Cell[] = [];
    for (const params of sizes) {
      const repeats =
        params >= 5_000_000 ? 3 : params >= 1_000_000 ? (args.quick ? 2 : 3) : args.quick ? 3 : 5;
      for (const count of counts) {
        progress(`aggregation: generating ${count} updates of ${params} parameters`);
        const { previous, updates } = randomUpdates(params, count, params + count);
        for (const name of STRATEGIES) {
          const strategy = createStrategy({ name });
          strategy.aggregate({ updates, previous }); // warm-up: JIT and page-in
          const chaincode = await openChaincodeRounds(params, updates, previous, name, repeats);
          // Direct and chaincode repetitions alternate, so load from other processes hits both alike.
          const direct: number[] = [];
          for (let round = 1; round <= repeats; round++) {
            const start = performance.now();
            strategy.aggregate({ updates, previous });
            direct.push((performance.now() - start) / 1000);
            await chaincode.runRound(round);
          }
          progress(
            `aggregation: ${name} ${params}×${count}: direct ${median(direct).toFixed(4)} s, chaincode ${median(chaincode.aggregate).toFixed(4)} s`,
          );
          const directSeconds = median(direct);
          const chaincodeSeconds = median(chaincode.aggregate);
          cells.push({
            params,
            updates: count,
            strategy: name,
            repeats,
            directSeconds,
            directParamsPerSecond: (params * count) / directSeconds,
            chaincodeAggregateSeconds: chaincodeSeconds,
            chaincodeParamsPerSecond: (params * count) / chaincodeSeconds,
            slowdown: ratio(chaincodeSeconds, directSeconds),
            submitSecondsPerUpdate: median(chaincode.submit),
          });
        }
      }
    }
    const table = markdownTable(
      [
        'params',
        'updates',
        'strategy',
        'direct s',
        'direct params/s',
        'chaincode Aggregate s',
        'chaincode params/s',
        'chaincode ÷ direct',
        'SubmitUpdate s/update',
      ],
      cells.map((c) => [
        c.params,
        c.updates,
        c.strategy,
        c.directSeconds,
        c.directParamsPerSecond,
        c.chaincodeAggregateSeconds,
        c.chaincodeParamsPerSecond,
        `${c.slowdown.toFixed(2)}×`,
        c.submitSecondsPerUpdate,
      ]),
    );
    return {
      table,
      notes: [
        'params/s counts input values: parameters × updates ÷ seconds; each cell is the median of the repeats in the JSON (after one warm-up for the direct call); direct and chaincode repetitions alternate so both see the same background load.',
        `"chaincode" is ${LEDGER_LABEL}: the real RoundContract.Aggregate over the in-memory stub, i.e. reading the updates from private data, decoding, digest checks, the strategy, encoding, SHA-256 and the state writes.`,
        'Not measured here: Aggregate on real Fabric peers (endorsement by a majority of orgs, ordering, validation, commit, private-data gossip), because the Fabric network cannot run on this machine.',
      ],
      data: { cells },
    };
  },
);

/**
 * A federation on a fresh in-process ledger whose orgs submit `updates` every round; `runRound`
 * submits them (timed per update) and times the Aggregate transaction.
 */
async function openChaincodeRounds(
  params: number,
  updates: { id: string; numSamples: number; weights: Float32Array }[],
  previous: Float32Array,
  strategy: StrategyName,
  repeats: number,
): Promise<{ aggregate: number[]; submit: number[]; runRound(round: number): Promise<void> }> {
  const world = await openLedgerWorld(updates.map((u) => u.id));
  const shapes = [[params]];
  const federationId = await world.createFederation({
    id: `agg-${strategy}-${params}-${updates.length}`,
    shapes,
    initialWeights: encodeFlat(shapes, previous),
    strategy: { name: strategy },
    rounds: repeats,
  });
  const encoded = updates.map((u) => encodeFlat(shapes, u.weights));
  const aggregate: number[] = [];
  const submit: number[] = [];
  return {
    aggregate,
    submit,
    async runRound(round) {
      for (const [k, update] of updates.entries()) {
        const start = performance.now();
        await world.submitUpdate(update.id, federationId, round, update.numSamples, encoded[k]);
        submit.push((performance.now() - start) / 1000);
      }
      const start = performance.now();
      await world.aggregate(updates[0]?.id, federationId, round);
      aggregate.push((performance.now() - start) / 1000);
    },
  };
}

function parseList(text: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`not a positive integer: ${part}`);
    }
    return value;
  });
}
