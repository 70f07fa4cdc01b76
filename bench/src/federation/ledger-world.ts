import './quiet-chaincode-logs';
import { sha256Hex, type LedgerApi, type StrategyConfig } from '@fedledger/core';
import { contracts } from '@fedledger/chaincode';
import { InProcessWorld } from '@fedledger/simulator';
import { CLINICAL_FEATURE_COLUMNS, CLINICAL_LABEL_COLUMN } from '@fedledger/gateway/datasets';

/** How every result that comes from the in-process ledger is labelled: it is not Fabric. */
export const LEDGER_LABEL = 'chaincode logic in process, no peers/orderer/gossip/endorsement';

export interface LedgerFederationOptions {
  id: string;
  /** Optional topology; a placeholder is used for synthetic weight vectors (the chaincode only hashes it). */
  topology?: string;
  shapes: number[][];
  initialWeights: Uint8Array;
  strategy: StrategyConfig;
  rounds: number;
  hyperParameters?: {
    epochs: number;
    batchSize: number;
    learningRate: number;
    proximalMu?: number;
  };
}

/** The consortium's orgs on one in-process ledger, each calling it with its own admin identity. */
export interface LedgerWorld {
  ledger(mspId: string): LedgerApi;
  /** Creates (first org), accepts (the others) and starts a federation of every org; returns its id. */
  createFederation(options: LedgerFederationOptions): Promise<string>;
  submitUpdate(
    mspId: string,
    federationId: string,
    round: number,
    numSamples: number,
    weights: Uint8Array,
  ): Promise<void>;
  aggregate(mspId: string, federationId: string, round: number): Promise<void>;
}

/** Opens a fresh in-process ledger (real contract classes over the in-memory stub) whose consortium is `orgs`. */
export async function openLedgerWorld(orgs: readonly string[]): Promise<LedgerWorld> {
  const world = new InProcessWorld({ contracts });
  const ledgers = new Map(orgs.map((mspId) => [mspId, world.ledger({ mspId, role: 'admin' })]));
  const ledger = (mspId: string): LedgerApi => {
    const api = ledgers.get(mspId);
    if (api === undefined) {
      throw new Error(`${mspId} is not in this bench consortium`);
    }
    return api;
  };
  const first = orgs.at(0);
  const others = orgs.slice(1);
  if (first === undefined) {
    throw new Error('a ledger world needs at least one org');
  }
  await ledger(first).initConsortium(orgs.map((mspId) => ({ mspId, role: 'member' })));
  return {
    ledger,
    async createFederation(options) {
      const topology =
        options.topology ?? JSON.stringify({ bench: 'synthetic weights', shapes: options.shapes });
      await ledger(first).createFederation(
        {
          id: options.id,
          name: options.id,
          modelSpec: { format: 'tfjs-layers', topology, topologyHash: sha256Hex(topology) },
          featureColumns: [...CLINICAL_FEATURE_COLUMNS],
          labelColumn: CLINICAL_LABEL_COLUMN,
          hyperParameters: options.hyperParameters ?? {
            epochs: 1,
            batchSize: 32,
            learningRate: 0.01,
          },
          strategy: options.strategy,
          invitedOrgs: others,
          minParticipants: orgs.length,
          roundDeadlineSeconds: 3600,
          rounds: options.rounds,
          maxUpdateBytes: Math.max(1024 * 1024, options.initialWeights.length * 2),
        },
        options.initialWeights,
      );
      for (const mspId of others) {
        await ledger(mspId).acceptInvitation(options.id);
      }
      await ledger(first).startFederation(options.id);
      return options.id;
    },
    async submitUpdate(mspId, federationId, round, numSamples, weights) {
      await ledger(mspId).submitUpdate(
        { federationId, round, numSamples, digest: sha256Hex(weights), metrics: {} },
        weights,
      );
    },
    async aggregate(mspId, federationId, round) {
      await ledger(mspId).aggregate(federationId, round);
    },
  };
}
