#!/usr/bin/env node
'use strict';
// Writes the client connection file a fedledger gateway reads for one organization:
// { mspId, peer: { endpoint, hostAlias, tlsCaCertPath }, identities: { admin, user1, user2, ... },
//   channel, chaincode } with absolute paths into the cryptogen tree.
//
// usage: write-connection-file.js --org-dir DIR --msp-id ID --domain DOMAIN --endpoint HOST:PORT
//          --host-alias NAME --channel NAME --chaincode NAME --out FILE [--namespace NS --address IP]
//          [--ledger-timeout-ms MS] [--consortium-tls-cas MSP=FILE,MSP=FILE,...]
// --ledger-timeout-ms: the network's LEDGER_TIMEOUT, the gateway's default call deadline ("ledgerTimeoutMs").
// The org's TLS client certificate (Admin's, cryptogen issues it for server and client use) goes
// into "blobTls", and --consortium-tls-cas into "consortiumTlsCas": what a gateway needs to serve
// and fetch blob-path models over mutual TLS (ADR 0022).
// With --namespace (the netns host layout) the file also says where the org's own processes live:
// "host": { namespace, address }, so a gateway is started in that namespace, bound to that address.
// Identities are discovered from DIR/users: Admin@DOMAIN → "admin" (role admin), UserN@DOMAIN →
// "userN" (role client). Every referenced file must exist, so a broken crypto tree fails here and
// not later inside the gateway.
const fs = require('node:fs');
const path = require('node:path');

class ConnectionFileError extends Error {}

const FLAGS = [
  'org-dir',
  'msp-id',
  'domain',
  'endpoint',
  'host-alias',
  'channel',
  'chaincode',
  'out',
];
const OPTIONAL_FLAGS = ['namespace', 'address', 'ledger-timeout-ms', 'consortium-tls-cas'];

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(FLAGS.includes(name) || OPTIONAL_FLAGS.includes(name)) || argv[i + 1] === undefined) {
      throw new ConnectionFileError(
        `unexpected argument ${argv[i]}; expected --${FLAGS.join(' --')} [--${OPTIONAL_FLAGS.join(' --')}]`,
      );
    }
    args[name] = argv[i + 1];
  }
  const missing = FLAGS.filter((f) => !args[f]);
  if (missing.length > 0) throw new ConnectionFileError(`missing --${missing.join(', --')}`);
  if (Boolean(args.namespace) !== Boolean(args.address))
    throw new ConnectionFileError('--namespace and --address go together');
  return args;
}

function requireFile(file, what) {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new ConnectionFileError(`${what} not found: ${file}`);
  }
  return file;
}

/** The one private key cryptogen writes into an MSP keystore (named priv_sk since Fabric 2.0). */
function keyIn(keystore) {
  const keys = fs.existsSync(keystore)
    ? fs.readdirSync(keystore).filter((f) => !f.startsWith('.'))
    : [];
  if (keys.length !== 1) {
    throw new ConnectionFileError(
      `expected exactly one private key in ${keystore}, found ${keys.length}`,
    );
  }
  return path.join(keystore, keys[0]);
}

function identity(usersDir, dirName, role) {
  const msp = path.join(usersDir, dirName, 'msp');
  return {
    certPath: requireFile(
      path.join(msp, 'signcerts', `${dirName}-cert.pem`),
      `certificate of ${dirName}`,
    ),
    keyPath: keyIn(path.join(msp, 'keystore')),
    role,
  };
}

function identities(orgDir, domain) {
  const usersDir = path.join(orgDir, 'users');
  if (!fs.existsSync(usersDir)) throw new ConnectionFileError(`no users directory in ${orgDir}`);
  const result = { admin: identity(usersDir, `Admin@${domain}`, 'admin') };
  const userPattern = new RegExp(`^User([0-9]+)@${domain.replace(/\./g, '\\.')}$`);
  const users = fs
    .readdirSync(usersDir)
    .map((name) => ({ name, match: userPattern.exec(name) }))
    .filter((entry) => entry.match)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]));
  for (const { name, match } of users)
    result[`user${match[1]}`] = identity(usersDir, name, 'client');
  return result;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const orgDir = path.resolve(args['org-dir']);
  const file = {
    mspId: args['msp-id'],
    peer: {
      endpoint: args.endpoint,
      hostAlias: args['host-alias'],
      tlsCaCertPath: requireFile(
        path.join(orgDir, 'tlsca', `tlsca.${args.domain}-cert.pem`),
        'TLS CA certificate',
      ),
    },
    identities: identities(orgDir, args.domain),
    channel: args.channel,
    chaincode: args.chaincode,
  };
  if (args.namespace) file.host = { namespace: args.namespace, address: args.address };
  if (args['ledger-timeout-ms']) {
    if (!/^[1-9][0-9]*$/.test(args['ledger-timeout-ms']))
      throw new ConnectionFileError(
        `--ledger-timeout-ms must be a positive integer, got ${args['ledger-timeout-ms']}`,
      );
    file.ledgerTimeoutMs = Number(args['ledger-timeout-ms']);
  }
  const tlsDir = path.join(orgDir, 'users', `Admin@${args.domain}`, 'tls');
  if (fs.existsSync(path.join(tlsDir, 'client.crt'))) {
    file.blobTls = {
      certPath: path.join(tlsDir, 'client.crt'),
      keyPath: requireFile(path.join(tlsDir, 'client.key'), 'admin TLS key'),
    };
  }
  if (args['consortium-tls-cas']) {
    file.consortiumTlsCas = {};
    for (const entry of args['consortium-tls-cas'].split(',')) {
      const [mspId, caPath] = entry.split('=');
      if (!mspId || !caPath)
        throw new ConnectionFileError(`--consortium-tls-cas entries are MSP=FILE, got ${entry}`);
      file.consortiumTlsCas[mspId] = requireFile(
        path.resolve(caPath),
        `TLS CA certificate of ${mspId}`,
      );
    }
  }
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(file, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `write-connection-file: ${error instanceof ConnectionFileError ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
