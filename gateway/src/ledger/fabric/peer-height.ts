import type { Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { FedLedgerError } from '@fedledger/core';
import { mapFabricError } from './fabric-error-mapper';

/** Between two asks of the peer's height while waiting; an evaluate costs about 10 ms. */
const POLL_MS = 25;

/**
 * The block height of the org's own peer, asked of its query system chaincode (qscc
 * `GetChainInfo`): the Gateway evaluates on the gateway's own peer, so this is the height that the
 * next read or first endorsement of this org will see.
 */
export class PeerHeight {
  readonly #network: Network;
  /** The highest height seen so far: a peer's height never goes down. */
  #known = 0;

  constructor(network: Network) {
    this.#network = network;
  }

  async #current(): Promise<number> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#network
        .getContract('qscc')
        .evaluateTransaction('GetChainInfo', this.#network.getName());
    } catch (error) {
      throw mapFabricError(error);
    }
    this.#known = Math.max(this.#known, common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    return this.#known;
  }

  /** Resolves once block `block` is committed (height > block); LEDGER_UNAVAILABLE after `timeoutMs`. */
  async waitForBlock(block: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#known <= block && (await this.#current()) <= block) {
      if (Date.now() >= deadline) {
        throw new FedLedgerError(
          'LEDGER_UNAVAILABLE',
          `this org's peer has not committed block ${block} after ${timeoutMs / 1000} s (its height is ${this.#known}); it may be catching up or cut off from the orderer`,
          { block, height: this.#known },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
