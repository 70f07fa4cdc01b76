import type { TestIdentity } from './memory-identity';

/** How a transaction is run: `submit` commits its writes on success, `evaluate` never does. */
export type InvokeMode = 'submit' | 'evaluate';

/** One transaction as a client sends it: contract, function, string arguments, transient data. */
export interface Invocation {
  contract: string;
  fcn: string;
  params: string[];
  transient?: Record<string, Uint8Array>;
  mode: InvokeMode;
}

/** Runs transactions as an identity: what a ledger client needs of the simulated channel. */
export interface TransactionRunner {
  invoke(identity: Required<TestIdentity>, invocation: Invocation): Promise<string>;
}
