'use strict';
// write-connection-file.js against a fake cryptogen tree: the exact file the gateway reads.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, SCRIPTS_DIR } = require('./helpers');

const WRITER = path.join(SCRIPTS_DIR, 'write-connection-file.js');

/** The parts of a cryptogen peer org tree the connection file references. */
function fakeOrgTree(root, domain, users) {
  const org = path.join(root, 'peerOrganizations', domain);
  fs.mkdirSync(path.join(org, 'tlsca'), { recursive: true });
  fs.writeFileSync(path.join(org, 'tlsca', `tlsca.${domain}-cert.pem`), 'TLS CA');
  for (const user of users) {
    const msp = path.join(org, 'users', `${user}@${domain}`, 'msp');
    fs.mkdirSync(path.join(msp, 'signcerts'), { recursive: true });
    fs.mkdirSync(path.join(msp, 'keystore'), { recursive: true });
    fs.writeFileSync(path.join(msp, 'signcerts', `${user}@${domain}-cert.pem`), `${user} cert`);
    fs.writeFileSync(path.join(msp, 'keystore', 'priv_sk'), `${user} key`);
  }
  return org;
}

function write(orgDir, domain, out, extra = {}) {
  const args = {
    'org-dir': orgDir,
    'msp-id': 'Org2MSP',
    domain,
    endpoint: '127.0.0.1:7160',
    'host-alias': `peer0.${domain}`,
    channel: 'fedledger',
    chaincode: 'fedledger',
    out,
    ...extra,
  };
  return run(process.execPath, [
    WRITER,
    ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]),
  ]);
}

test('writes mspId, peer, admin + users (numeric order) with absolute paths, channel and chaincode', (t) => {
  const dir = tempDir(t);
  const domain = 'org2.example.com';
  const org = fakeOrgTree(dir, domain, ['Admin', 'User2', 'User10', 'User1']);
  const out = path.join(dir, 'connections', 'org2.json');

  const result = write(org, domain, out);

  assert.equal(result.status, 0, result.stderr);
  const identity = (user, role) => ({
    certPath: path.join(
      org,
      'users',
      `${user}@${domain}`,
      'msp',
      'signcerts',
      `${user}@${domain}-cert.pem`,
    ),
    keyPath: path.join(org, 'users', `${user}@${domain}`, 'msp', 'keystore', 'priv_sk'),
    role,
  });
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(file, {
    mspId: 'Org2MSP',
    peer: {
      endpoint: '127.0.0.1:7160',
      hostAlias: 'peer0.org2.example.com',
      tlsCaCertPath: path.join(org, 'tlsca', 'tlsca.org2.example.com-cert.pem'),
    },
    identities: {
      admin: identity('Admin', 'admin'),
      user1: identity('User1', 'client'),
      user2: identity('User2', 'client'),
      user10: identity('User10', 'client'),
    },
    channel: 'fedledger',
    chaincode: 'fedledger',
  });
  assert.deepEqual(Object.keys(file.identities), ['admin', 'user1', 'user2', 'user10']);
  assert.ok(path.isAbsolute(file.identities.user1.keyPath));
});

test('blob-path material: the admin TLS pair, the consortium TLS CAs and the ledger timeout', (t) => {
  const dir = tempDir(t);
  const domain = 'org2.example.com';
  const org = fakeOrgTree(dir, domain, ['Admin']);
  const tls = path.join(org, 'users', `Admin@${domain}`, 'tls');
  fs.mkdirSync(tls, { recursive: true });
  fs.writeFileSync(path.join(tls, 'client.crt'), 'cert');
  fs.writeFileSync(path.join(tls, 'client.key'), 'key');
  const ca1 = path.join(dir, 'ca1.pem');
  fs.writeFileSync(ca1, 'CA 1');
  const out = path.join(dir, 'org2.json');
  const result = write(org, domain, out, {
    'ledger-timeout-ms': '30000',
    'consortium-tls-cas': `Org1MSP=${ca1},Org2MSP=${path.join(org, 'tlsca', `tlsca.${domain}-cert.pem`)}`,
  });
  assert.equal(result.status, 0, result.stderr);
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(file.ledgerTimeoutMs, 30000);
  assert.deepEqual(file.blobTls, {
    certPath: path.join(tls, 'client.crt'),
    keyPath: path.join(tls, 'client.key'),
  });
  assert.deepEqual(Object.keys(file.consortiumTlsCas), ['Org1MSP', 'Org2MSP']);
  assert.equal(file.consortiumTlsCas.Org1MSP, ca1);
  const missing = write(org, domain, path.join(dir, 'x.json'), {
    'consortium-tls-cas': `Org3MSP=${path.join(dir, 'nope.pem')}`,
  });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /TLS CA certificate of Org3MSP not found/);
});

test('a relative org dir still yields absolute paths', (t) => {
  const dir = tempDir(t);
  const domain = 'auditor.example.com';
  fakeOrgTree(dir, domain, ['Admin', 'User1']);
  const out = path.join(dir, 'auditor.json');
  const result = run(
    process.execPath,
    [
      WRITER,
      '--org-dir',
      path.join('peerOrganizations', domain),
      '--msp-id',
      'AuditorMSP',
      '--domain',
      domain,
      '--endpoint',
      '127.0.0.1:7180',
      '--host-alias',
      `peer0.${domain}`,
      '--channel',
      'fedledger',
      '--chaincode',
      'fedledger',
      '--out',
      out,
    ],
    { cwd: dir },
  );
  assert.equal(result.status, 0, result.stderr);
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(
    file.identities.admin.certPath,
    path.join(
      dir,
      'peerOrganizations',
      domain,
      'users',
      `Admin@${domain}`,
      'msp',
      'signcerts',
      `Admin@${domain}-cert.pem`,
    ),
  );
});

test('a missing admin certificate, TLS CA or an ambiguous keystore fails naming the file', (t) => {
  const dir = tempDir(t);
  const domain = 'org2.example.com';
  const org = fakeOrgTree(dir, domain, ['User1']);
  const noAdmin = write(org, domain, path.join(dir, 'a.json'));
  assert.equal(noAdmin.status, 1);
  assert.match(
    noAdmin.stderr,
    /write-connection-file: certificate of Admin@org2\.example\.com not found: .*Admin@org2\.example\.com-cert\.pem/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'a.json')), false);

  fakeOrgTree(dir, domain, ['Admin']);
  fs.writeFileSync(path.join(org, 'users', `User1@${domain}`, 'msp', 'keystore', 'second_sk'), 'x');
  const twoKeys = write(org, domain, path.join(dir, 'b.json'));
  assert.equal(twoKeys.status, 1);
  assert.match(
    twoKeys.stderr,
    /expected exactly one private key in .*User1@org2\.example\.com\/msp\/keystore, found 2/,
  );

  fs.rmSync(path.join(org, 'tlsca'), { recursive: true });
  const noCa = write(org, domain, path.join(dir, 'c.json'));
  assert.match(noCa.stderr, /TLS CA certificate not found: .*tlsca\.org2\.example\.com-cert\.pem/);
});

test('unknown or missing arguments are refused', (t) => {
  const result = run(process.execPath, [WRITER, '--org-dir', '/x']);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /missing --msp-id, --domain, --endpoint, --host-alias, --channel, --chaincode, --out/,
  );
  const unknown = run(process.execPath, [WRITER, '--colour', 'blue']);
  assert.match(unknown.stderr, /unexpected argument --colour/);
});
