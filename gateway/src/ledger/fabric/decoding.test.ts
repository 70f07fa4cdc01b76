import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChaincodeEvent } from './event-decoding';
import { grpcChannelOptions, MAX_GRPC_MESSAGE_BYTES } from './grpc-client';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('chaincode event decoding', () => {
  it('decodes a known event and adds the transaction id', () => {
    const event = decodeChaincodeEvent({
      eventName: 'RoundOpened',
      payload: bytes('{"federationId":"f","round":1}'),
      transactionId: 'tx9',
      blockNumber: 12n,
    });
    assert.deepEqual(event, {
      name: 'RoundOpened',
      payload: { txId: 'tx9', federationId: 'f', round: 1 },
      txId: 'tx9',
      blockNumber: 12n,
    });
  });

  it('skips unknown names and payloads that are not JSON objects', () => {
    assert.equal(
      decodeChaincodeEvent({
        eventName: 'Other',
        payload: bytes('{}'),
        transactionId: 't',
        blockNumber: 1n,
      }),
      undefined,
    );
    assert.equal(
      decodeChaincodeEvent({
        eventName: 'RoundOpened',
        payload: bytes('{'),
        transactionId: 't',
        blockNumber: 1n,
      }),
      undefined,
    );
    assert.equal(
      decodeChaincodeEvent({
        eventName: 'RoundOpened',
        payload: bytes('[1]'),
        transactionId: 't',
        blockNumber: 1n,
      }),
      undefined,
    );
    assert.equal(
      decodeChaincodeEvent({
        eventName: 'RoundOpened',
        payload: bytes('null'),
        transactionId: 't',
        blockNumber: 1n,
      }),
      undefined,
    );
  });
});

describe('gRPC channel options', () => {
  it('raises both message limits to 100 MiB and sets the TLS host alias when given', () => {
    assert.equal(MAX_GRPC_MESSAGE_BYTES, 100 * 1024 * 1024);
    assert.deepEqual(grpcChannelOptions({ endpoint: '127.0.0.1:7051', tlsCaCertPath: '/ca' }), {
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
    });
    assert.equal(
      grpcChannelOptions({
        endpoint: 'e',
        hostAlias: 'peer0.org1.example.com',
        tlsCaCertPath: '/ca',
      })['grpc.ssl_target_name_override'],
      'peer0.org1.example.com',
    );
  });
});
