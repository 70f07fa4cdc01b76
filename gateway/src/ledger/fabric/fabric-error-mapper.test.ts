import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, type ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { FedLedgerError } from '@fedledger/core';
import { isRetryableCommitError, mapFabricError } from './fabric-error-mapper';

function serviceError(code: GrpcStatus, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

describe('mapFabricError', () => {
  it('recovers the chaincode code from the per-peer endorsement details', () => {
    const error = new EndorseError({
      code: 10,
      transactionId: 'tx1',
      cause: serviceError(GrpcStatus.ABORTED, 'failed to endorse transaction'),
      details: [
        {
          address: 'peer0:7051',
          mspId: 'Org1MSP',
          message: 'chaincode response 500, ROUND_CLOSED: round 3 of fed-1 is aggregated',
        },
      ],
      message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    });
    const mapped = mapFabricError(error);
    assert.equal(mapped.code, 'ROUND_CLOSED');
    assert.equal(mapped.reason, 'round 3 of fed-1 is aggregated');
    assert.deepEqual(mapped.details, { transactionId: 'tx1' });
  });

  it('recovers the code from an evaluate error message when there are no details', () => {
    const error = new EndorseError({
      code: 2,
      transactionId: 'tx2',
      cause: serviceError(GrpcStatus.UNKNOWN, 'x'),
      details: [],
      message:
        '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: federation f does not exist',
    });
    assert.equal(mapFabricError(error).code, 'NOT_FOUND');
  });

  it('maps a read of private data the peer has not received yet to LEDGER_UNAVAILABLE (retried), not INTERNAL', () => {
    const error = new EndorseError({
      code: 2,
      transactionId: 'tx6',
      cause: serviceError(GrpcStatus.UNKNOWN, 'x'),
      details: [],
      message:
        '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, GET_STATE failed: transaction ID: abc: private data matching public hash version is not available. Public hash version = {BlockNum: 35, TxNum: 0}, Private data version = <nil>',
    });
    const mapped = mapFabricError(error);
    assert.equal(mapped.code, 'LEDGER_UNAVAILABLE');
    assert.match(mapped.message, /has not yet received private data/);
  });

  it('maps a peer that cannot reach its chaincode server to LEDGER_UNAVAILABLE (retried), not INTERNAL', () => {
    const error = new EndorseError({
      code: 10,
      transactionId: 'tx7',
      cause: serviceError(GrpcStatus.ABORTED, 'x'),
      details: [
        {
          address: '10.213.0.13:7170',
          mspId: 'Org3MSP',
          message:
            'error in simulation: failed to execute transaction tx7: could not launch chaincode fedledger_1.0:fea6: connection error: desc = "transport: error while dialing: dial tcp 10.213.0.13:7173: connect: connection refused"',
        },
      ],
      message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    });
    assert.equal(mapFabricError(error).code, 'LEDGER_UNAVAILABLE');
  });

  it('maps too few matching endorsements (ABORTED, no chaincode refusal) to LEDGER_UNAVAILABLE (retried), not INTERNAL', () => {
    const error = new EndorseError({
      code: GrpcStatus.ABORTED,
      transactionId: 'tx8',
      cause: serviceError(GrpcStatus.ABORTED, 'x'),
      details: [{ address: 'peer0.org2:9051', mspId: 'Org2MSP', message: 'endorsement timeout' }],
      message:
        '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    });
    const mapped = mapFabricError(error);
    assert.equal(mapped.code, 'LEDGER_UNAVAILABLE');
    assert.deepEqual(mapped.details?.['peers'], [
      { address: 'peer0.org2:9051', mspId: 'Org2MSP', message: 'endorsement timeout' },
    ]);
    // A peer that refused the request still decides the code.
    const refused = new EndorseError({
      code: GrpcStatus.ABORTED,
      transactionId: 'tx9',
      cause: serviceError(GrpcStatus.ABORTED, 'x'),
      details: [
        {
          address: 'peer0.org2:9051',
          mspId: 'Org2MSP',
          message: 'chaincode response 500, ROUND_CLOSED: round 2 of fed-1 is being aggregated',
        },
      ],
      message:
        '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    });
    assert.equal(mapFabricError(refused).code, 'ROUND_CLOSED');
  });

  it('maps unreachable peers to LEDGER_UNAVAILABLE and other gateway failures to INTERNAL', () => {
    const unavailable = new EndorseError({
      code: 14,
      transactionId: 'tx3',
      cause: serviceError(GrpcStatus.UNAVAILABLE, 'No connection established'),
      details: [],
      message: '14 UNAVAILABLE: No connection established',
    });
    const mapped = mapFabricError(unavailable);
    assert.equal(mapped.code, 'LEDGER_UNAVAILABLE');
    assert.deepEqual(mapped.details, { grpcCode: 14, transactionId: 'tx3', peers: [] });
    const deadline = new EndorseError({
      code: 4,
      transactionId: 'tx4',
      cause: serviceError(GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded'),
      details: [],
      message: '4 DEADLINE_EXCEEDED',
    });
    assert.equal(mapFabricError(deadline).code, 'LEDGER_UNAVAILABLE');
    const status = new CommitStatusError({
      code: 2,
      transactionId: 'tx5',
      cause: serviceError(GrpcStatus.UNKNOWN, 'x'),
      details: [],
      message: 'commit status',
    });
    assert.equal(mapFabricError(status).code, 'LEDGER_UNAVAILABLE');
    const peerFailure = new EndorseError({
      code: 10,
      transactionId: 'tx6',
      cause: serviceError(GrpcStatus.ABORTED, 'x'),
      details: [
        { address: 'peer0', mspId: 'Org1MSP', message: 'chaincode fedledger not installed' },
      ],
      message: 'ABORTED',
    });
    const internal = mapFabricError(peerFailure);
    assert.equal(internal.code, 'INTERNAL');
    assert.deepEqual(internal.details?.['peers'], [
      { address: 'peer0', mspId: 'Org1MSP', message: 'chaincode fedledger not installed' },
    ]);
  });

  it('maps commit failures: read conflicts to CONFLICT, others to INTERNAL with the status name', () => {
    const mvcc = mapFabricError(
      new CommitError({
        code: StatusCode.MVCC_READ_CONFLICT,
        transactionId: 'tx7',
        message: 'mvcc',
      }),
    );
    assert.equal(mvcc.code, 'CONFLICT');
    assert.deepEqual(mvcc.details, { transactionId: 'tx7', status: 'MVCC_READ_CONFLICT' });
    assert.equal(
      mapFabricError(
        new CommitError({ code: StatusCode.PHANTOM_READ_CONFLICT, transactionId: 'tx8' }),
      ).code,
      'CONFLICT',
    );
    const policy = mapFabricError(
      new CommitError({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 'tx9' }),
    );
    assert.equal(policy.code, 'INTERNAL');
    assert.equal(policy.details?.['status'], 'ENDORSEMENT_POLICY_FAILURE');
  });

  it('maps raw gRPC errors, passes domain errors through, and parses plain messages', () => {
    assert.equal(
      mapFabricError(serviceError(GrpcStatus.UNAVAILABLE, 'unavailable')).code,
      'LEDGER_UNAVAILABLE',
    );
    assert.equal(mapFabricError(serviceError(GrpcStatus.INTERNAL, 'internal')).code, 'INTERNAL');
    const domain = new FedLedgerError('FORBIDDEN', 'no');
    assert.equal(mapFabricError(domain), domain);
    assert.equal(mapFabricError(new Error('x DIGEST_MISMATCH: bad')).code, 'DIGEST_MISMATCH');
    assert.equal(mapFabricError(new Error('socket hang up')).code, 'INTERNAL');
    assert.equal(mapFabricError('text').code, 'INTERNAL');
  });

  it('finds the chaincode code behind gRPC status prefixes', () => {
    const mapped = mapFabricError(
      new Error('10 ABORTED: failed: chaincode response 500, QUORUM_NOT_MET: 1 of 2'),
    );
    assert.equal(mapped.code, 'QUORUM_NOT_MET');
    assert.equal(mapped.reason, '1 of 2');
    assert.equal(mapFabricError(new Error('2 UNKNOWN: nothing known here')).code, 'INTERNAL');
  });

  it('retries MVCC and phantom read conflicts, nothing else', () => {
    assert.equal(
      isRetryableCommitError(
        new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't' }),
      ),
      true,
    );
    assert.equal(
      isRetryableCommitError(
        new CommitError({ code: StatusCode.PHANTOM_READ_CONFLICT, transactionId: 't' }),
      ),
      true,
    );
    assert.equal(
      isRetryableCommitError(
        new CommitError({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 't' }),
      ),
      false,
    );
    assert.equal(isRetryableCommitError(new FedLedgerError('CONFLICT', 'x')), false);
  });
});
