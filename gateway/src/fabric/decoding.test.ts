import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChaincodeEvent } from './event-decoding';
import { grpcChannelOptions, MAX_GRPC_MESSAGE_BYTES } from './grpc-client';
import { decodeBase64Result, decodeJsonResult } from './result-decoding';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('transaction result decoding', () => {
  it('decodes canonical JSON, also when it arrives JSON-quoted', () => {
    assert.deepEqual(decodeJsonResult(bytes('{"a":1}'), 'T'), { a: 1 });
    assert.deepEqual(decodeJsonResult(bytes(JSON.stringify('{"a":[1]}')), 'T'), { a: [1] });
    assert.deepEqual(decodeJsonResult(bytes('[]'), 'T'), []);
    assert.equal(decodeJsonResult(bytes(JSON.stringify('[not json')), 'T'), '[not json');
    assert.throws(() => decodeJsonResult(bytes('oops'), 'GetFederation'), /INTERNAL: GetFederation returned text that is not JSON/);
  });

  it('decodes base64 weights, plain or quoted', () => {
    assert.deepEqual(decodeBase64Result(bytes('AQID'), 'G'), new Uint8Array([1, 2, 3]));
    assert.deepEqual(decodeBase64Result(bytes('"AQID"'), 'G'), new Uint8Array([1, 2, 3]));
    assert.throws(() => decodeBase64Result(bytes('not base64!'), 'GetGlobalWeights'), /INTERNAL/);
  });
});

describe('chaincode event decoding', () => {
  it('decodes a known event and adds the transaction id', () => {
    const event = decodeChaincodeEvent({ eventName: 'RoundOpened', payload: bytes('{"federationId":"f","round":1}'), transactionId: 'tx9', blockNumber: 12n });
    assert.deepEqual(event, { name: 'RoundOpened', payload: { txId: 'tx9', federationId: 'f', round: 1 }, txId: 'tx9', blockNumber: 12n });
  });

  it('skips unknown names and payloads that are not JSON objects', () => {
    assert.equal(decodeChaincodeEvent({ eventName: 'Other', payload: bytes('{}'), transactionId: 't', blockNumber: 1n }), undefined);
    assert.equal(decodeChaincodeEvent({ eventName: 'RoundOpened', payload: bytes('{'), transactionId: 't', blockNumber: 1n }), undefined);
    assert.equal(decodeChaincodeEvent({ eventName: 'RoundOpened', payload: bytes('[1]'), transactionId: 't', blockNumber: 1n }), undefined);
    assert.equal(decodeChaincodeEvent({ eventName: 'RoundOpened', payload: bytes('null'), transactionId: 't', blockNumber: 1n }), undefined);
  });
});

describe('gRPC channel options', () => {
  it('raises both message limits to 100 MiB and sets the TLS host alias when given', () => {
    assert.equal(MAX_GRPC_MESSAGE_BYTES, 100 * 1024 * 1024);
    assert.deepEqual(grpcChannelOptions({ endpoint: '127.0.0.1:7051', tlsCaCertPath: '/ca' }), {
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
    });
    assert.equal(grpcChannelOptions({ endpoint: 'e', hostAlias: 'peer0.org1.example.com', tlsCaCertPath: '/ca' })['grpc.ssl_target_name_override'], 'peer0.org1.example.com');
  });
});
