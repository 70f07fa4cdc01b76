import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CONTRACT, TX } from '@fedledger/core';
// Both typed in fabric-shim-contract-spi.d.ts.
import Bootstrap from 'fabric-shim/lib/contract-spi/bootstrap';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { MemoryState, MemoryStub, READ_ONLY_TRANSACTIONS } from './test-support';

const PACKAGE_DIR = path.join(__dirname, '..');

/** Loads the package exactly as `fabric-chaincode-node server` does: package.json `main`, `contracts`. */
function loadChaincode(): ChaincodeFromContract {
  const info = Bootstrap.getInfoFromContract(PACKAGE_DIR);
  return new ChaincodeFromContract(info.contracts, info.serializers, {}, info.title, info.version);
}

test('fabric-contract-api finds every catalogued transaction, with the right submit/evaluate tag and nothing else', () => {
  const { metadata } = loadChaincode();
  for (const name of Object.values(CONTRACT)) {
    const transactions = metadata.contracts[name]?.transactions ?? [];
    assert.deepEqual(
      transactions.map((t) => t.name).sort(),
      Object.values(TX[name]).sort(),
      `contract ${name}`,
    );
    for (const transaction of transactions) {
      assert.ok(
        transaction.tag.includes(
          READ_ONLY_TRANSACTIONS.has(transaction.name) ? 'EVALUATE' : 'SUBMIT',
        ),
        `${name}:${transaction.name} ${transaction.tag.join(',')}`,
      );
    }
  }
  const submit = metadata.contracts[CONTRACT.round]?.transactions.find(
    (t) => t.name === TX.round.SubmitUpdate,
  );
  assert.deepEqual(
    submit?.parameters.map((p) => p.name),
    ['federationId', 'round', 'numSamples', 'digest', 'metricsJson'],
  );
});

/** A MemoryStub that also answers `getBufferArgs`, which the shim's dispatcher reads. */
class DispatchStub extends MemoryStub {
  getBufferArgs(): Buffer[] {
    return this.getArgs().map((arg) => Buffer.from(arg));
  }
}

/** A stub as the shim would get it; the timestamp defaults to now, as a client on a synchronized host sets it. */
function stubFor(
  state: MemoryState,
  certFile: string,
  fcn: string,
  params: string[],
  timestamp = new Date(),
): DispatchStub {
  return new DispatchStub(state, {
    txId: 'tx-1',
    timestamp,
    channelId: 'fedledger',
    creator: {
      mspid: 'Org1MSP',
      idBytes: readFileSync(path.join(PACKAGE_DIR, 'test-fixtures', certFile)),
    },
    transient: new Map(),
    fcn,
    params,
  });
}

test('through the shim: the NodeOU comes from the real certificate, errors keep their code', async () => {
  const chaincode = loadChaincode();
  const state = new MemoryState([]);
  const members = JSON.stringify([{ mspId: 'Org1MSP', role: 'member' }]);
  const asClient = await chaincode.Invoke(
    stubFor(state, 'org1-client-cert.pem', 'consortium:InitConsortium', [members]),
  );
  assert.equal(asClient.status, 500);
  assert.match(asClient.message ?? '', /^FORBIDDEN: InitConsortium needs an org admin identity/);
  const asAdmin = stubFor(state, 'org1-admin-cert.pem', 'consortium:InitConsortium', [members]);
  const response = await chaincode.Invoke(asAdmin);
  assert.equal(response.status, 200, response.message);
  const consortium = JSON.parse(
    Buffer.from(response.payload ?? new Uint8Array()).toString('utf8'),
  ) as { initializedBy: string };
  assert.equal(consortium.initializedBy, 'Org1MSP');
  assert.equal(asAdmin.event?.name, 'ConsortiumInitialized');
});

test('through the shim: a client certificate whose CN contains "/OU=admin" is not an admin (nothing written)', async () => {
  const chaincode = loadChaincode();
  const members = JSON.stringify([{ mspId: 'Org1MSP', role: 'member' }]);
  const stub = stubFor(
    new MemoryState([]),
    'org1-client-slashed-cn-cert.pem',
    'consortium:InitConsortium',
    [members],
  );
  const response = await chaincode.Invoke(stub);
  assert.equal(response.status, 500);
  assert.match(response.message ?? '', /^FORBIDDEN: InitConsortium needs an org admin identity/);
  assert.ok(
    (response.message ?? '').includes('CN=mallory\\/x/OU=admin'),
    'the shim id that used to read as an admin',
  );
  assert.equal(stub.writes.public.size + stub.writes.private.size, 0);
  assert.equal(stub.event, undefined);
});

test('through the shim: a transaction dated more than a minute away from the peer clock is refused (nothing written)', async () => {
  const chaincode = loadChaincode();
  const members = JSON.stringify([{ mspId: 'Org1MSP', role: 'member' }]);
  for (const offsetMs of [-10 * 60_000, 10 * 60_000]) {
    const stub = stubFor(
      new MemoryState([]),
      'org1-admin-cert.pem',
      'consortium:InitConsortium',
      [members],
      new Date(Date.now() + offsetMs),
    );
    const response = await chaincode.Invoke(stub);
    assert.equal(response.status, 500);
    assert.match(
      response.message ?? '',
      /^FAILED_PRECONDITION: the transaction timestamp .* (behind|ahead of) this peer's clock/,
    );
    assert.equal(stub.writes.public.size + stub.writes.private.size, 0);
  }
});

test('through the shim: an unknown or undecorated transaction name is INVALID_ARGUMENT (nothing written)', async () => {
  const chaincode = loadChaincode();
  for (const fcn of ['consortium:Nope', 'round:createContext', 'federation:unknownTransaction']) {
    const stub = stubFor(new MemoryState([]), 'org1-admin-cert.pem', fcn, []);
    const response = await chaincode.Invoke(stub);
    assert.equal(response.status, 500, fcn);
    assert.match(
      response.message ?? '',
      /^INVALID_ARGUMENT: .* is not a transaction of this chaincode/,
    );
    assert.equal(stub.writes.public.size + stub.writes.private.size, 0);
  }
});

// Regression (issue 9): with class-transformer 0.4.1 (0.5's renames, no classToPlain) every fedledger
// transaction still worked, because they all return strings; only the system contract's GetMetadata
// serializes an object, so deployCC hung on its readiness probe while every other test passed.
test('through the shim: org.hyperledger.fabric:GetMetadata answers with the contract metadata', async () => {
  const chaincode = loadChaincode();
  const stub = stubFor(
    new MemoryState([]),
    'org1-client-cert.pem',
    'org.hyperledger.fabric:GetMetadata',
    [],
  );
  const response = await chaincode.Invoke(stub);
  assert.equal(response.status, 200, response.message);
  const metadata = JSON.parse(
    Buffer.from(response.payload ?? new Uint8Array()).toString('utf8'),
  ) as { contracts: Record<string, unknown> };
  for (const name of Object.values(CONTRACT))
    assert.ok(name in metadata.contracts, `contract ${name} in GetMetadata`);
  assert.ok('org.hyperledger.fabric' in metadata.contracts);
});
