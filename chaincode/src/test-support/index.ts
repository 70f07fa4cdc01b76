/**
 * What the chaincode's tests use: the simulator (and its fixtures) running this chaincode's
 * contracts. Compiled with the tests; no production module imports it.
 */
import {
  InProcessWorld as SimulatedChannel,
  initSampleConsortium,
  type InProcessWorldOptions,
  type SampleConsortium,
} from '@fedledger/simulator';
import { contracts } from '../index';

export * from '@fedledger/simulator';

/** An in-process channel running this chaincode's contracts. */
export class InProcessWorld extends SimulatedChannel {
  constructor(options: Omit<InProcessWorldOptions, 'contracts'> = {}) {
    super({ ...options, contracts });
  }
}

/** A fresh channel running this chaincode with the sample consortium initialized as Org1's admin. */
export function sampleConsortium(
  options: Omit<InProcessWorldOptions, 'contracts'> = {},
): Promise<SampleConsortium> {
  return initSampleConsortium(new InProcessWorld(options));
}
