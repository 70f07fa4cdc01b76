import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { connect, hash, signers, GatewayError } from '@hyperledger/fabric-gateway';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import { common, gateway } from '@hyperledger/fabric-protos';
import { CHAINCODE_NAME, CONTRACT, TRANSIENT, TX, canonicalJson } from '@fedledger/core';
import type { OrgConnection } from '../../platform/config/org-connection';
import { newGrpcClient } from './grpc-client';
import { connectIdentity } from '../../testing/connect-identity';
import { FAKE_CHANNEL, startFakeFabric, type FakeFabric } from '../../testing/fake-fabric';

const utf8 = new TextDecoder();

/** Checks of the double itself, through the raw fabric-gateway API: what it refuses and when state changes. */
describe('FakeGatewayPeer', () => {
  let fabric: FakeFabric;
  let admin: ReturnType<typeof connectIdentity>;
  let connection: OrgConnection;

  before(async () => {
    fabric = await startFakeFabric();
    connection = fabric.config('Org1MSP').connection as OrgConnection;
    admin = connectIdentity(connection, 'admin');
    const consortium = admin.gateway
      .getNetwork(FAKE_CHANNEL)
      .getContract(CHAINCODE_NAME, CONTRACT.consortium);
    await consortium.submit(TX.consortium.InitConsortium, {
      arguments: [
        canonicalJson([
          { mspId: 'Org1MSP', role: 'member' },
          { mspId: 'Org2MSP', role: 'member' },
        ]),
      ],
    });
  });

  after(() => {
    admin.close();
    fabric.stop();
  });

  it('keeps an endorsed transaction invisible until its signed envelope is submitted, then commits it in a new block', async () => {
    const federations = admin.gateway
      .getNetwork(FAKE_CHANNEL)
      .getContract(CHAINCODE_NAME, CONTRACT.federation);
    const weights = sampleWeights((index) => index + 0.25);
    const proposal = federations.newProposal(TX.federation.CreateFederation, {
      arguments: [canonicalJson(sampleSpec({ id: 'fed-buffered', invitedOrgs: ['Org2MSP'] }))],
      transientData: { [TRANSIENT.initialWeights]: weights },
    });
    const transaction = await proposal.endorse();
    assert.equal(
      (JSON.parse(utf8.decode(transaction.getResult())) as { id: string }).id,
      'fed-buffered',
      'the result travels in the prepared envelope',
    );
    await assert.rejects(
      federations.evaluate(TX.federation.GetFederation, { arguments: ['fed-buffered'] }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, 2); // UNKNOWN, as a peer relays a chaincode error on Evaluate
        assert.match(error.details[0]?.message ?? '', /^chaincode response 500, NOT_FOUND: /);
        return true;
      },
    );
    const blocksBefore = fabric.peer.channel.blocks.length;
    const submitted = await transaction.submit();
    const status = await submitted.getStatus();
    assert.deepEqual([status.successful, status.blockNumber], [true, BigInt(blocksBefore + 1)]);
    const read = JSON.parse(
      utf8.decode(
        await federations.evaluate(TX.federation.GetFederation, { arguments: ['fed-buffered'] }),
      ),
    ) as { id: string };
    assert.equal(read.id, 'fed-buffered');
    // The prepared transaction (what would be ordered and stored in a block) leaves the transient map out.
    assert.equal(Buffer.from(transaction.getBytes()).indexOf(Buffer.from(weights)), -1);
  });

  it('refuses a proposal signed with a key that does not match the certificate', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const client = newGrpcClient(connection.peer, readFileSync(connection.peer.tlsCaCertPath));
    const forger = connect({
      client,
      identity: {
        mspId: 'Org1MSP',
        credentials: readFileSync(connection.identities['admin'].certPath),
      },
      signer: signers.newPrivateKeySigner(privateKey),
      hash: hash.sha256,
    });
    try {
      const consortium = forger
        .getNetwork(FAKE_CHANNEL)
        .getContract(CHAINCODE_NAME, CONTRACT.consortium);
      await assert.rejects(consortium.evaluate(TX.consortium.GetConsortium), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, 10); // ABORTED
        assert.match(error.message, /failed to evaluate transaction/);
        assert.match(
          error.details[0]?.message ?? '',
          /access denied: the signature of Org1MSP does not verify/,
        );
        return true;
      });
    } finally {
      forger.close();
      client.close();
    }
  });

  it('refuses an envelope that differs from what it endorsed', async () => {
    const federations = admin.gateway
      .getNetwork(FAKE_CHANNEL)
      .getContract(CHAINCODE_NAME, CONTRACT.federation);
    const transaction = await federations
      .newProposal(TX.federation.CancelFederation, { arguments: ['fed-buffered', 'tampered'] })
      .endorse();
    const blocksBefore = fabric.peer.channel.blocks.length;
    // Append an unknown protobuf field (15, varint 1) to the payload and sign that validly: parsers
    // ignore it, but it is not the transaction the peer endorsed.
    const prepared = gateway.PreparedTransaction.deserializeBinary(transaction.getBytes());
    const envelope = prepared.getEnvelope() as common.Envelope;
    envelope.setPayload(Buffer.concat([envelope.getPayload_asU8(), Buffer.from([15 << 3, 1])]));
    const altered = admin.gateway.newTransaction(prepared.serializeBinary());
    const signer = signers.newPrivateKeySigner(
      createPrivateKey(readFileSync(connection.identities['admin'].keyPath)),
    );
    const signed = admin.gateway.newSignedTransaction(
      prepared.serializeBinary(),
      await signer(altered.getDigest()),
    );
    await assert.rejects(
      signed.submit(),
      (error: unknown) =>
        error instanceof GatewayError &&
        /status=BAD_REQUEST, info=transaction .* was not endorsed by this peer as sent/.test(
          error.message,
        ),
    );
    assert.equal(fabric.peer.channel.blocks.length, blocksBefore);
  });
});
