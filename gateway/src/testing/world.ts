// The contract API logs every decorator at info level; keep test output readable.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';

export { InProcessWorld, ManualClock } from '@fedledger/chaincode/dist/testing';
