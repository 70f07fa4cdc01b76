/**
 * @fedledger/simulator — what stands in for Fabric in tests and in the in-process demo: an in-memory
 * channel (`InProcessWorld`) that runs the contract classes it is given over a memory stub, one
 * transaction at a time, with Fabric's commit and event semantics; a `LedgerApi` over it
 * (`InProcessLedger`); and ledger fixtures shared by the packages' tests. It imports no chaincode:
 * pass the contracts (`new InProcessWorld({ contracts })`).
 *
 * @packageDocumentation
 */
export {
  InProcessWorld,
  type InProcessWorldOptions,
  type CommittedTransaction,
} from './in-process-world';
export { InProcessLedger } from './in-process-ledger';
export type { Invocation, InvokeMode, TransactionRunner } from './invocation';
export { ManualClock, type Clock } from './manual-clock';
export { MemoryStub, type MemoryTransaction } from './memory-stub';
export { MemoryState, type HistoryRecord, type WriteSet } from './memory-state';
export { fabricClientId } from '@fedledger/core';
export {
  MemoryClientIdentity,
  resolveIdentity,
  type NodeRole,
  type TestIdentity,
} from './memory-identity';
export {
  SAMPLE_MEMBERS,
  SAMPLE_ORGS,
  SAMPLE_SHAPES,
  SAMPLE_TOPOLOGY,
  createFederationFromText,
  initSampleConsortium,
  sampleProfile,
  sampleSchema,
  sampleSchemaSpec,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from './sample-federation';
export { expectRejection, rejectedWith } from './expect-rejection';
