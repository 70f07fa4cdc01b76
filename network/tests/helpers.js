'use strict';
// Shared helpers for the network tooling tests: run network.sh and its scripts in isolated
// temporary state directories, and manage the helper processes a test starts.
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const NETWORK_DIR = path.resolve(__dirname, '..');
const NETWORK_SH = path.join(NETWORK_DIR, 'network.sh');
const SCRIPTS_DIR = path.join(NETWORK_DIR, 'scripts');
const BUILDER_BIN = path.join(NETWORK_DIR, 'builders', 'ccaas', 'bin');

/** A fresh temporary directory, removed when the test ends. */
function tempDir(t, prefix = 'fedledger-net-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run a command synchronously; returns { status, stdout, stderr }. */
function run(command, args, { env = {}, cwd = NETWORK_DIR, input } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Run network.sh with its state (and generated config) in `stateDir`. Unless a test says otherwise,
 * the only Fabric tools it can find are FABRIC_BIN's: the cache, the release bundle next to the
 * checkout and the release URL point at nothing, so an `up` can never start real Fabric processes
 * that outlive the test's temporary directory.
 */
function network(args, stateDir, env = {}) {
  const scratch = path.join(stateDir, '..');
  return run('bash', [NETWORK_SH, ...args], {
    env: {
      NETWORK_STATE_DIR: stateDir,
      FABRIC_CONFIG_DIR: path.join(scratch, 'config'),
      FABRIC_TOOLS_DIR: path.join(scratch, 'no-fabric-cache'),
      FABRIC_BUNDLE_DIR: path.join(scratch, 'no-fabric-bundle'),
      FABRIC_RELEASE_URL: `file://${path.join(scratch, 'no-fabric-release.tar.gz')}`,
      ...env,
    },
  });
}

/** Start a long-running helper process; it is killed when the test ends. */
function startProcess(t, command, args) {
  const child = spawn(command, args, { stdio: 'ignore' });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves once the child has exited (or immediately if it already has). */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Kernel start time of a process, as network.sh records it next to the PID. */
function startTime(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** A TCP server on 127.0.0.1 holding `port` (0 = any free port) until the test ends. */
async function occupyPort(t, port = 0) {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
  t.after(() => new Promise((resolve) => server.close(() => resolve())));
  return server.address().port;
}

/** A port range of `count` consecutive free ports on 127.0.0.1 starting at a multiple of 10. */
async function freeBasePort(count) {
  for (let base = 20000 + Math.floor(Math.random() * 2000) * 10; base < 60000; base += 500) {
    const probes = await Promise.all(Array.from({ length: count }, (_, i) => canListen(base + i)));
    if (probes.every(Boolean)) return base;
  }
  throw new Error('no free port range found');
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });
}

/** Write an executable file. */
function writeExecutable(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
}

module.exports = {
  NETWORK_DIR,
  NETWORK_SH,
  SCRIPTS_DIR,
  BUILDER_BIN,
  tempDir,
  run,
  network,
  startProcess,
  exited,
  isAlive,
  startTime,
  occupyPort,
  freeBasePort,
  writeExecutable,
};
