#!/usr/bin/env node
'use strict';
// A stand-in for the Fabric command-line surface network.sh drives (peer, orderer, osnadmin,
// cryptogen, configtxgen), used only by orchestration.test.js. It keeps a JSON "world" in
// $FAKE_FABRIC_STATE and checks the inputs network.sh must get right (files that must exist,
// required environment, approvals before commit, a reachable chaincode server before queries).
// It proves the scripts' sequencing, bookkeeping and error handling; it says nothing about
// compatibility with real Fabric binaries, which could not be obtained on the development machine.
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const WORLD = process.env.FAKE_FABRIC_STATE;
const tool = process.argv[2];
const args = process.argv.slice(3);

function fail(message) {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
}

function load() {
  return fs.existsSync(WORLD) ? JSON.parse(fs.readFileSync(WORLD, 'utf8')) : {};
}

/** Read-modify-write the world under a lock directory (peers and CLIs run concurrently). */
function update(change) {
  const lock = `${WORLD}.lock`;
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (i > 500) fail('fake world lock timeout');
      execFileSync('sleep', ['0.01']);
    }
  }
  try {
    const world = load();
    const result = change(world);
    fs.writeFileSync(WORLD, JSON.stringify(world));
    return result;
  } finally {
    fs.rmdirSync(lock);
  }
}

function flag(name, fallback) {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
}

function flags(name) {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

function mustExist(file, what) {
  if (!file || !fs.existsSync(file)) fail(`${what} not found: ${file}`);
}

function touch(file, text = 'fake') {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function splitAddress(address) {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

function reachable(address) {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function listen(address) {
  const { host, port } = splitAddress(address);
  net.createServer((s) => s.end()).listen(port, host);
}

function serveHealth(address, metrics = () => '') {
  const { host, port } = splitAddress(address);
  http
    .createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(metrics());
      }
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{"status":"OK"}');
    })
    .listen(port, host);
}

// A peer's gossip membership as Fabric's Prometheus metric: on its channel it knows every other
// peer that joined the same channel (the real network converges to that; `up` waits for it).
function gossipMetrics(me) {
  const channels = load().peerChannels || {};
  const channel = channels[me];
  if (channel === undefined) return '';
  const others = Object.entries(channels).filter(
    ([peer, c]) => peer !== me && c === channel,
  ).length;
  return `gossip_membership_total_peers_known{channel="${channel}"} ${others}\n`;
}

// --- cryptogen / configtxgen ---------------------------------------------------------------

function cryptogen() {
  if (args[0] !== 'generate') fail(`cryptogen ${args[0]} not simulated`);
  const config = flag('--config');
  const output = flag('--output');
  mustExist(config, 'crypto config');
  const text = fs.readFileSync(config, 'utf8');
  const [ordererPart, peerPart] = text.split('PeerOrgs:');
  // One entry per ordering organization (BFT: one per peer org; Raft: one with every node).
  for (const entry of ordererPart.split(/\n  - Name: /).slice(1)) {
    const ordererDomain = /Domain: (\S+)/.exec(entry)[1];
    const ordererOrg = path.join(output, 'ordererOrganizations', ordererDomain);
    touch(path.join(ordererOrg, 'msp', 'config.yaml'));
    touch(path.join(ordererOrg, 'tlsca', `tlsca.${ordererDomain}-cert.pem`));
    for (const f of ['ca.crt', 'client.crt', 'client.key'])
      touch(path.join(ordererOrg, 'users', `Admin@${ordererDomain}`, 'tls', f));
    for (const [, host] of entry.matchAll(/Hostname: (\S+)/g)) {
      const node = path.join(ordererOrg, 'orderers', `${host}.${ordererDomain}`);
      touch(path.join(node, 'msp', 'config.yaml'));
      touch(path.join(node, 'msp', 'signcerts', `${host}.${ordererDomain}-cert.pem`));
      for (const f of ['ca.crt', 'server.crt', 'server.key']) touch(path.join(node, 'tls', f));
    }
  }
  for (const [, domain, count] of peerPart.matchAll(/Domain: (\S+)[\s\S]*?Count: (\d+)/g)) {
    const org = path.join(output, 'peerOrganizations', domain);
    touch(path.join(org, 'msp', 'config.yaml'));
    touch(path.join(org, 'tlsca', `tlsca.${domain}-cert.pem`));
    for (const f of ['ca.crt', 'server.crt', 'server.key'])
      touch(path.join(org, 'peers', `peer0.${domain}`, 'tls', f));
    touch(path.join(org, 'peers', `peer0.${domain}`, 'msp', 'config.yaml'));
    const users = ['Admin', ...Array.from({ length: Number(count) }, (_, i) => `User${i + 1}`)];
    for (const user of users) {
      const msp = path.join(org, 'users', `${user}@${domain}`, 'msp');
      touch(path.join(msp, 'signcerts', `${user}@${domain}-cert.pem`));
      touch(path.join(msp, 'keystore', 'priv_sk'));
    }
  }
}

function configtxgen() {
  const configPath = flag('-configPath');
  const profile = flag('-profile');
  const block = flag('-outputBlock');
  const configtx = path.join(configPath, 'configtx.yaml');
  mustExist(configtx, 'configtx.yaml');
  const text = fs.readFileSync(configtx, 'utf8');
  if (!text.includes(`\n  ${profile}:\n`)) fail(`profile ${profile} not in ${configtx}`);
  const orgs = [...text.matchAll(/^    ID: (\S+)$/gm)]
    .map((m) => m[1])
    .filter((id) => !id.endsWith('OrdererMSP'));
  touch(block, JSON.stringify({ channel: flag('-channelID'), orgs }));
}

// --- orderer / osnadmin --------------------------------------------------------------------

function orderer() {
  const env = process.env;
  if (env.ORDERER_GENERAL_BOOTSTRAPMETHOD !== 'none') fail('orderer needs BootstrapMethod none');
  mustExist(path.join(env.FABRIC_CFG_PATH, 'orderer.yaml'), 'orderer.yaml');
  mustExist(env.ORDERER_GENERAL_TLS_CERTIFICATE, 'orderer TLS certificate');
  listen(`${env.ORDERER_GENERAL_LISTENADDRESS}:${env.ORDERER_GENERAL_LISTENPORT}`);
  listen(env.ORDERER_ADMIN_LISTENADDRESS);
  serveHealth(env.ORDERER_OPERATIONS_LISTENADDRESS);
  console.log(`fake orderer ${env.ORDERER_GENERAL_LISTENPORT} started`);
}

async function osnadmin() {
  const admin = flag('-o');
  for (const f of ['--ca-file', '--client-cert', '--client-key']) mustExist(flag(f), f);
  if (!(await reachable(admin))) fail(`connection refused: ${admin}`);
  const channel = flag('--channelID');
  if (args[1] === 'join') {
    mustExist(flag('--config-block'), 'config block');
    const already = update((w) => {
      w.ordererChannels = w.ordererChannels || {};
      const had = w.ordererChannels[admin] === channel;
      w.ordererChannels[admin] = channel;
      return had;
    });
    console.log(
      already
        ? 'Status: 405\n{"error":"cannot join: channel already exists"}'
        : `Status: 201\n{"name":"${channel}"}`,
    );
  } else if (args[1] === 'list') {
    const joined = (load().ordererChannels || {})[admin] === channel;
    // FAKE_FOLLOWER=<admin address>: that node's certificates are "not in the consenter set".
    const relation = process.env.FAKE_FOLLOWER === admin ? 'follower' : 'consenter';
    console.log(
      joined
        ? `Status: 200\n{\n\t"name": "${channel}",\n\t"consensusRelation": "${relation}",\n\t"status": "active"\n}`
        : 'Status: 404',
    );
  }
}

// --- peer ----------------------------------------------------------------------------------

function peerNode() {
  const env = process.env;
  const core = fs.readFileSync(path.join(env.FABRIC_CFG_PATH, 'core.yaml'), 'utf8');
  if (!/^    endpoint: ""$/m.test(core)) fail('core.yaml must have an empty vm.endpoint');
  mustExist(env.CORE_PEER_TLS_CERT_FILE, 'peer TLS certificate');
  listen(env.CORE_PEER_LISTENADDRESS);
  serveHealth(env.CORE_OPERATIONS_LISTENADDRESS, () => gossipMetrics(env.CORE_PEER_LISTENADDRESS));
  console.log(`fake peer ${env.CORE_PEER_ID} started`);
}

function packageInfo(file) {
  const dir = fs.mkdtempSync(path.join(path.dirname(WORLD), 'pkg-'));
  execFileSync('tar', ['-xzf', file, '-C', dir]);
  execFileSync('tar', ['-xzf', path.join(dir, 'code.tar.gz'), '-C', dir]);
  const { label, type } = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
  const { address } = JSON.parse(fs.readFileSync(path.join(dir, 'connection.json'), 'utf8'));
  fs.rmSync(dir, { recursive: true });
  if (type !== 'ccaas') fail(`package type ${type}`);
  return {
    id: `${label}:${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`,
    label,
    address,
  };
}

async function peerCli() {
  const env = process.env;
  const me = env.CORE_PEER_ADDRESS;
  const msp = env.CORE_PEER_LOCALMSPID;
  mustExist(env.CORE_PEER_MSPCONFIGPATH, 'admin MSP');
  mustExist(env.CORE_PEER_TLS_ROOTCERT_FILE, 'peer TLS root certificate');
  if (!(await reachable(me))) fail(`failed to connect to ${me}`);
  const command = args.slice(0, args[0] === 'lifecycle' ? 3 : 2).join(' ');
  const world = load();
  const channel = flag('-C', flag('-c', flag('--channelID')));
  switch (command) {
    case 'channel join': {
      const block = JSON.parse(fs.readFileSync(flag('-b'), 'utf8'));
      update((w) => {
        w.peerChannels = { ...(w.peerChannels || {}), [me]: block.channel };
        w.orgs = block.orgs;
        w.height = w.height || 1;
      });
      return console.log('Successfully submitted proposal to join channel');
    }
    case 'channel getinfo':
      if ((world.peerChannels || {})[me] !== channel) fail(`channel ${channel} not found`);
      return console.log(`Blockchain info: {"height":${world.height},"currentBlockHash":"x"}`);
    case 'lifecycle chaincode install': {
      const info = packageInfo(args[3]);
      update((w) => {
        w.installed = w.installed || {};
        w.installed[me] = { ...(w.installed[me] || {}), [info.id]: info };
      });
      return console.log(`Chaincode code package identifier: ${info.id}`);
    }
    case 'lifecycle chaincode queryinstalled':
      console.log('Installed chaincodes on peer:');
      for (const info of Object.values((world.installed || {})[me] || {}))
        console.log(`Package ID: ${info.id}, Label: ${info.label}`);
      return undefined;
    case 'lifecycle chaincode approveformyorg': {
      mustExist(flag('--collections-config'), 'collections config');
      const id = flag('--package-id');
      if (!((world.installed || {})[me] || {})[id]) fail(`package ${id} is not installed on ${me}`);
      update((w) => {
        w.approvals = { ...(w.approvals || {}), [msp]: { sequence: flag('--sequence'), id } };
        w.height += 1;
      });
      return console.log(`txid [x] committed with status (VALID) at ${me}`);
    }
    case 'lifecycle chaincode checkcommitreadiness': {
      const approvals = Object.fromEntries(
        world.orgs.map((o) => [o, (world.approvals || {})[o]?.sequence === flag('--sequence')]),
      );
      return console.log(JSON.stringify({ approvals }, null, '\t').replace(/":/g, '": '));
    }
    case 'lifecycle chaincode commit': {
      const approved = world.orgs.filter(
        (o) => (world.approvals || {})[o]?.sequence === flag('--sequence'),
      );
      if (approved.length * 2 <= world.orgs.length)
        fail('chaincode definition not agreed to by this org majority');
      if (flags('--peerAddresses').length !== flags('--tlsRootCertFiles').length)
        fail('peer/TLS root pairs mismatch');
      update((w) => {
        w.committed = {
          name: flag('--name'),
          version: flag('--version'),
          sequence: flag('--sequence'),
        };
        w.height += 1;
      });
      return console.log('txid [x] committed with status (VALID)');
    }
    case 'lifecycle chaincode querycommitted': {
      const c = world.committed;
      if (!c) fail('query failed with status: 404 - namespace is not defined');
      return console.log(
        `Committed chaincode definition for chaincode '${c.name}' on channel '${channel}':\nVersion: ${c.version}, Sequence: ${c.sequence}, Endorsement Plugin: escc, Validation Plugin: vscc`,
      );
    }
    case 'chaincode query':
    case 'chaincode invoke': {
      if (!world.committed) fail('chaincode definition not found');
      const approval = (world.approvals || {})[msp];
      const info = approval && ((world.installed || {})[me] || {})[approval.id];
      if (!info || !(await reachable(info.address)))
        fail(
          'endorsement failure during query. response: status:500 message:"could not launch chaincode"',
        );
      const call = JSON.parse(flag('-c'));
      if (call.function === 'org.hyperledger.fabric:GetMetadata') return console.log('{}');
      if (call.function === 'consortium:GetConsortium') {
        if (!world.consortium)
          fail(
            'endorsement failure during query. response: status:500 message:"NOT_FOUND: consortium"',
          );
        return console.log(JSON.stringify(world.consortium));
      }
      if (call.function === 'consortium:InitConsortium') {
        update((w) => {
          w.consortium = {
            members: JSON.parse(call.Args[0]),
            initializedBy: msp,
            endorsers: flags('--peerAddresses'),
          };
          w.height += 1;
        });
        return console.log('Chaincode invoke successful. result: status:200');
      }
      return fail(`function ${call.function} not simulated`);
    }
    default:
      return fail(`peer ${command} not simulated`);
  }
}

async function main() {
  // Failure injection: FAKE_FAIL=<tool>[:<first argument>] makes that tool fail.
  if (process.env.FAKE_FAIL && [tool, `${tool}:${args[0]}`].includes(process.env.FAKE_FAIL))
    fail(`injected failure of ${tool}`);
  if (tool === 'peer' && args[0] === 'version')
    return console.log('peer:\n Version: v3.1.5\n Commit SHA: fake');
  if (tool === 'peer' && args[0] === 'node') return peerNode();
  if (tool === 'peer') return peerCli();
  if (tool === 'orderer') return orderer();
  if (tool === 'osnadmin') return osnadmin();
  if (tool === 'cryptogen') return cryptogen();
  if (tool === 'configtxgen') return configtxgen();
  if (tool === 'chaincode-server') {
    listen(flag('--chaincode-address'));
    return console.log(
      `fake chaincode server ${flag('--chaincode-id')} on ${flag('--chaincode-address')}`,
    );
  }
  return fail(`fake ${tool} not simulated`);
}

void main();
