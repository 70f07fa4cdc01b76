export { InProcessWorld, type InProcessWorldOptions, type CommittedTransaction, type Invocation, type InvokeMode } from './in-process-world';
export { InProcessLedger } from './in-process-ledger';
export { ManualClock, type Clock } from './manual-clock';
export { MemoryStub, type MemoryTransaction } from './memory-stub';
export { MemoryState, type HistoryRecord, type WriteSet } from './memory-state';
export { MemoryClientIdentity, fabricClientId, resolveIdentity, type NodeRole, type TestIdentity } from './memory-identity';
export { SAMPLE_MEMBERS, SAMPLE_ORGS, SAMPLE_SHAPES, SAMPLE_TOPOLOGY, createFederationFromText, sampleConsortium, sampleProfile, sampleSchema, sampleSchemaSpec, sampleSpec, sampleWeights, type SampleConsortium } from './sample-federation';
export { expectRejection, rejectedWith } from './expect-rejection';
