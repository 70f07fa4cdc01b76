import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import { FedLedgerError, sha256Hex, type ConsortiumMember } from '@fedledger/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import type { OrgConnection } from '../../platform/config/org-connection';
import { FabricConnection } from './fabric-connection';
import { startFakeFabric, type FakeFabric } from '../../testing/fake-fabric';

const MEMBERS: ConsortiumMember[] = [
  { mspId: 'Org1MSP', role: 'member' },
  { mspId: 'Org2MSP', role: 'member' },
];

function withConnection(
  config: GatewayConfig,
  change: (connection: OrgConnection) => OrgConnection,
): GatewayConfig {
  return { ...config, connection: change(config.connection as OrgConnection) };
}

function isCode(code: string): (error: unknown) => boolean {
  return (error) => error instanceof FedLedgerError && error.code === code;
}

describe('the Fabric client transport against the fake Gateway peer: TLS trust, MSP identity, message size', () => {
  let fabric: FakeFabric;
  let org1: FabricConnection;

  before(async () => {
    fabric = await startFakeFabric();
    org1 = await FabricConnection.open(fabric.config('Org1MSP'));
    await org1.ledgerFor('admin').initConsortium(MEMBERS);
  });

  after(() => {
    org1.close();
    fabric.stop();
  });

  it('trusts the peer only through tlsCaCertPath', async () => {
    const untrusted = withConnection(fabric.config('Org1MSP'), (connection) => ({
      ...connection,
      peer: { ...connection.peer, tlsCaCertPath: fabric.orgs['Org1MSP'].caCertPath },
    }));
    const connection = await FabricConnection.open(untrusted);
    try {
      await assert.rejects(
        connection.ledgerFor('admin').getConsortium(),
        isCode('LEDGER_UNAVAILABLE'),
      );
    } finally {
      connection.close();
    }
  });

  it('checks the server name: the certificate IP without an alias works, a wrong alias does not', async () => {
    const direct = await FabricConnection.open(
      withConnection(fabric.config('Org1MSP'), (connection) => ({
        ...connection,
        peer: { endpoint: connection.peer.endpoint, tlsCaCertPath: connection.peer.tlsCaCertPath },
      })),
    );
    const misnamed = await FabricConnection.open(
      withConnection(fabric.config('Org1MSP'), (connection) => ({
        ...connection,
        peer: { ...connection.peer, hostAlias: 'peer0.org9.example.com' },
      })),
    );
    try {
      assert.equal((await direct.ledgerFor('auditor').getConsortium()).initializedBy, 'Org1MSP');
      await assert.rejects(
        misnamed.ledgerFor('auditor').getConsortium(),
        isCode('LEDGER_UNAVAILABLE'),
      );
    } finally {
      direct.close();
      misnamed.close();
    }
  });

  it('an identity its MSP did not issue is refused by the peer and changes nothing', async () => {
    const org2Files = fabric.orgs['Org2MSP'].identities;
    const impostor = await FabricConnection.open(
      withConnection(fabric.config('Org1MSP'), (connection) => ({
        ...connection,
        identities: org2Files,
      })),
    );
    const before = fabric.peer.channel.state.snapshot();
    try {
      await assert.rejects(
        impostor
          .ledgerFor('admin')
          .createFederation(
            sampleSpec({ id: 'fed-impostor', invitedOrgs: ['Org2MSP'] }),
            sampleWeights(1),
          ),
        (error: unknown) => {
          assert.ok(isCode('INTERNAL')(error), String(error));
          const peers = (error as FedLedgerError).details?.['peers'] as Array<{ message: string }>;
          assert.match(peers[0]?.message ?? '', /access denied: .*not issued by the CA of Org1MSP/);
          return true;
        },
      );
      assert.deepEqual(fabric.peer.channel.state.snapshot(), before);
    } finally {
      impostor.close();
    }
  });

  it("carries a model larger than gRPC's 4 MiB default both ways (transient in, result out)", async () => {
    const shapes = [[1024, 1536]];
    const weights = sampleWeights((index) => (index % 97) / 97, shapes);
    assert.ok(weights.length > 6 * 1024 * 1024);
    await org1
      .ledgerFor('admin')
      .createFederation(sampleSpec({ id: 'fed-large', invitedOrgs: ['Org2MSP'] }), weights);
    const downloaded = await org1.ledgerFor('scientist').getGlobalWeights('fed-large', 0);
    assert.equal(sha256Hex(downloaded), sha256Hex(weights));
    const version = await org1.ledgerFor('scientist').getModelVersion('fed-large', 0);
    assert.equal(version.modelHash, sha256Hex(weights));
  });

  it('a peer that stops answering hits the configured deadline: LEDGER_UNAVAILABLE, never a hang', async () => {
    const impatient = await FabricConnection.open(
      fabric.config('Org1MSP', { ledgerTimeoutMs: 300 }),
    );
    try {
      fabric.peer.stall('Evaluate');
      await assert.rejects(
        impatient.ledgerFor('auditor').getConsortium(),
        isCode('LEDGER_UNAVAILABLE'),
      );
      fabric.peer.stall('Endorse');
      await assert.rejects(
        impatient
          .ledgerFor('admin')
          .createFederation(
            sampleSpec({ id: 'fed-stalled', invitedOrgs: ['Org2MSP'] }),
            sampleWeights(1),
          ),
        isCode('LEDGER_UNAVAILABLE'),
      );
      // A lost commit status is ambiguous: the transaction did commit, the caller only learns it by reading.
      fabric.peer.stall('CommitStatus');
      await assert.rejects(
        impatient
          .ledgerFor('admin')
          .createFederation(
            sampleSpec({ id: 'fed-committed', invitedOrgs: ['Org2MSP'] }),
            sampleWeights(1),
          ),
        isCode('LEDGER_UNAVAILABLE'),
      );
      assert.equal(
        (await impatient.ledgerFor('admin').getFederation('fed-committed')).id,
        'fed-committed',
      );
    } finally {
      impatient.close();
    }
  });
});
