import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAINCODE_NAME } from '@fedledger/core';
import { FakeGatewayPeer } from './fake-gateway-peer';
import { FakeMspRegistry } from './fake-msp';
import { generateOrgPki, generateTlsPki, type FakeOrgPki } from './fake-pki';

/** The sample consortium's orgs and the domains cryptogen would give them. */
export const FAKE_ORGS: Readonly<Record<string, string>> = {
  Org1MSP: 'org1.example.com',
  Org2MSP: 'org2.example.com',
  Org3MSP: 'org3.example.com',
  AuditorMSP: 'auditor.example.com',
};

export const FAKE_CHANNEL = 'fedledger';
const PEER_HOST = 'peer0.org1.example.com';

/** A fake peer with generated PKI, and connection files for each org in the layout the network scripts write. */
export interface FakeFabric {
  /** The running peer (a new object after {@link restartPeer}). */
  readonly peer: FakeGatewayPeer;
  dir: string;
  orgs: Record<string, FakeOrgPki>;
  /** Writes a connection file for `mspId` (as network/scripts/write-connection-file.js lays it out) in a fresh directory; returns its path. */
  connectionFile(mspId: string): string;
  /** Stops the peer and starts a new one on the same port serving the same committed ledger. */
  restartPeer(): Promise<void>;
  /** Stops the peer and removes the temporary directory. */
  stop(): void;
}

/**
 * Generates the PKI (openssl), starts a {@link FakeGatewayPeer} on an ephemeral port running the
 * chaincode package in `chaincodeDir`, and returns helpers.
 */
export async function startFakeFabric(chaincodeDir: string): Promise<FakeFabric> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-fake-fabric-'));
  const orgs = Object.fromEntries(
    Object.entries(FAKE_ORGS).map(([mspId, domain]) => [mspId, generateOrgPki(dir, mspId, domain)]),
  );
  const tls = generateTlsPki(dir, PEER_HOST);
  const msps = new FakeMspRegistry(
    Object.fromEntries(Object.values(orgs).map((org) => [org.mspId, readFileSync(org.caCertPath)])),
  );
  const org1 = orgs['Org1MSP'];
  const options = {
    tls,
    msps,
    endorser: {
      mspId: org1.mspId,
      certPem: readFileSync(org1.peer.certPath),
      keyPem: readFileSync(org1.peer.keyPath),
    },
    channelId: FAKE_CHANNEL,
    chaincodeName: CHAINCODE_NAME,
    chaincodeDir,
  };
  let peer = await FakeGatewayPeer.start(options);
  let configs = 0;
  const connectionFile = (mspId: string): string => {
    if (!Object.hasOwn(orgs, mspId)) throw new Error(`no fake org ${mspId}`);
    const org = orgs[mspId];
    configs += 1;
    const orgDir = join(dir, `${mspId}-${configs}`);
    mkdirSync(orgDir);
    const connectionPath = join(orgDir, 'connection.json');
    writeFileSync(
      connectionPath,
      JSON.stringify({
        mspId,
        // The certificate names the peer host; the client dials 127.0.0.1 and checks that name.
        peer: { endpoint: peer.endpoint, hostAlias: PEER_HOST, tlsCaCertPath: tls.caCertPath },
        identities: org.identities,
        channel: FAKE_CHANNEL,
        chaincode: CHAINCODE_NAME,
      }),
    );
    return connectionPath;
  };
  return {
    get peer() {
      return peer;
    },
    dir,
    async restartPeer() {
      peer.stop();
      peer = await FakeGatewayPeer.start({ ...options, channel: peer.channel, port: peer.port });
    },
    orgs,
    connectionFile,
    stop() {
      peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
