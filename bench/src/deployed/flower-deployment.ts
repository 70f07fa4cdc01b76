import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '@fedledger/demo';
import { progress } from '../cli/run-bench';
import { ensurePython, PYTHON_DIR } from '../python/python-env';
import { NetNamespace } from './netns';
import { parseFlowerResult, type FlowerResultFile } from './flower-result';

/** The Flower App folder `flwr run` bundles (bench/python/flower_app). */
const FLOWER_APP_DIR = path.join(PYTHON_DIR, 'flower_app');
/** Flower 1.41's SuperLink serves its Fleet, Control and ServerApp runtime APIs over HTTP on this one port. */
const SUPERLINK_ADDRESS = '127.0.0.1:8000';
/** Each SuperNode's ClientApp runtime API: this port + its partition id. */
const SUPERNODE_BASE_PORT = 9094;
const START_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 250;

export interface FlowerDeployedOptions {
  /** The export written by fabric-federation-main.ts (exportDeployedFederation). */
  dataDir: string;
  orgs: number;
  rounds: number;
  /** SuperLink and SuperNode logs go here. */
  logDir: string;
  /** Bounds the run after `flwr run` was accepted. */
  runTimeoutMs: number;
  /** Aborting it (the bench was interrupted) ends the waits; everything is then stopped as on failure. */
  signal?: AbortSignal;
}

/** Wall time and loopback bytes of the deployed Flower run's phases, and the ServerApp's marks. */
export interface FlowerDeployedRun {
  flwrVersion: string;
  /** SuperLink up, N SuperNodes activated. */
  startup: { seconds: number; bytes: number };
  /** `flwr run` submitted → the last round's evaluate phase done. */
  run: { seconds: number; bytes: number };
  /** Every process in the namespace stopped (by PID). */
  teardown: { seconds: number; forcedPids: number };
  /** `flwr-clientapp` processes the SuperNodes started (their logs), all SuperNodes together. */
  clientAppStarts: number;
  result: FlowerResultFile;
}

/**
 * Flower deployed, not simulated: `flower-superlink` and one `flower-supernode` per org as separate
 * processes (insecure: plain HTTP on loopback, no TLS), the bench's Flower App submitted with
 * `flwr run`, all in a network namespace of their own whose loopback counters are the bytes moved.
 * Every process in the namespace is stopped by PID at the end, also on failure, and the namespace removed.
 */
export async function runFlowerDeployed(
  options: FlowerDeployedOptions,
): Promise<FlowerDeployedRun> {
  const python = await ensurePython();
  const venvBin = path.dirname(python);
  const flwrVersion = (
    await runCommand(python, ['-c', 'import flwr; print(flwr.__version__)'], { cwd: PYTHON_DIR })
  ).output.trim();
  mkdirSync(options.logDir, { recursive: true });
  const flwrHome = path.join(options.logDir, 'flwr-home');
  mkdirSync(flwrHome, { recursive: true });
  // The CLI's SuperLink connection: `flwr run APP bench` submits to this address without TLS.
  writeFileSync(
    path.join(flwrHome, 'config.toml'),
    `[superlink]\ndefault = "bench"\n\n[superlink.bench]\naddress = "${SUPERLINK_ADDRESS}"\ninsecure = true\n`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${venvBin}:${process.env['PATH'] ?? ''}`,
    PYTHONPATH: PYTHON_DIR,
    FLWR_HOME: flwrHome,
    // One BLAS thread per process (TFJS_NOTES: OpenBLAS threads oversubscribe 2 cores).
    OPENBLAS_NUM_THREADS: '1',
  };
  const ns = NetNamespace.create(`fedledger-flower-${process.pid}`);
  const children: ChildProcess[] = [];
  try {
    const started = Date.now();
    const bytesAtStart = ns.loopbackBytes();
    const superlinkLog = path.join(options.logDir, 'superlink.log');
    children.push(
      startLogged(
        ns,
        'flower-superlink',
        ['--insecure', '--disable-runtime-dependency-installation'],
        env,
        superlinkLog,
      ),
    );
    const signal = options.signal;
    await waitForLog(
      superlinkLog,
      /Application startup complete/,
      1,
      children,
      'the SuperLink',
      signal,
    );
    for (let k = 0; k < options.orgs; k++) {
      children.push(
        startLogged(
          ns,
          'flower-supernode',
          [
            '--insecure',
            '--superlink',
            SUPERLINK_ADDRESS,
            '--port',
            String(SUPERNODE_BASE_PORT + k),
            '--node-config',
            `partition-id=${k} num-partitions=${options.orgs}`,
          ],
          env,
          path.join(options.logDir, `supernode-${k}.log`),
        ),
      );
    }
    await waitForLog(
      superlinkLog,
      /\[Fleet\.ActivateNode\] Activated/,
      options.orgs,
      children,
      `${options.orgs} SuperNodes`,
      signal,
    );
    const startupEnd = { t: Date.now(), bytes: ns.loopbackBytes() };
    progress(
      `flower-deployed: SuperLink and ${options.orgs} SuperNodes up in ${((startupEnd.t - started) / 1000).toFixed(1)} s; flwr run`,
    );
    const [command, args] = ns.wrap(path.join(venvBin, 'flwr'), [
      'run',
      FLOWER_APP_DIR,
      'bench',
      '--run-config',
      `data-dir=${JSON.stringify(options.dataDir)}`,
    ]);
    const submitted = await runCommand(command, args, {
      cwd: options.logDir,
      env,
      ...(signal ? { signal } : {}),
    });
    if (submitted.code !== 0)
      throw new Error(`flwr run exited ${submitted.code}: ${submitted.output.slice(-1500)}`);
    const resultFile = path.join(options.dataDir, 'flower-result.json');
    const result = await waitForResult(
      resultFile,
      options.rounds,
      options.runTimeoutMs,
      children,
      signal,
    );
    const runEnd = { t: Date.now(), bytes: ns.loopbackBytes() };
    const teardownStart = Date.now();
    const forced = await ns.destroy();
    const clientAppStarts = Array.from(
      { length: options.orgs },
      (_, k) =>
        (
          readFileSync(path.join(options.logDir, `supernode-${k}.log`), 'utf8').match(
            /Start `flwr-clientapp` process/g,
          ) ?? []
        ).length,
    ).reduce((a, b) => a + b, 0);
    return {
      clientAppStarts,
      flwrVersion,
      startup: { seconds: (startupEnd.t - started) / 1000, bytes: startupEnd.bytes - bytesAtStart },
      run: { seconds: (runEnd.t - startupEnd.t) / 1000, bytes: runEnd.bytes - startupEnd.bytes },
      teardown: { seconds: (Date.now() - teardownStart) / 1000, forcedPids: forced.length },
      result,
    };
  } finally {
    if (existsSync(`/run/netns/${ns.name}`)) await ns.destroy();
  }
}

function startLogged(
  ns: NetNamespace,
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): ChildProcess {
  const out = openSync(logFile, 'a');
  const [command, wrapped] = ns.wrap(program, args);
  const child = spawn(command, wrapped, { env, stdio: ['ignore', out, out] });
  closeSync(out);
  return child;
}

async function waitForLog(
  file: string,
  pattern: RegExp,
  count: number,
  children: ChildProcess[],
  what: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const global = new RegExp(pattern.source, 'g');
  while (Date.now() < deadline) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if ((text.match(global) ?? []).length >= count) return;
    assertRunning(children, signal);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${what} not ready within ${START_TIMEOUT_MS / 1000} s; see ${file}`);
}

async function waitForResult(
  file: string,
  rounds: number,
  timeoutMs: number,
  children: ChildProcess[],
  signal: AbortSignal | undefined,
): Promise<FlowerResultFile> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const result = parseFlowerResult(readFileSync(file, 'utf8'));
      if (result.marks.some((m) => m.round === rounds && m.event === 'evaluate-done'))
        return result;
    }
    assertRunning(children, signal);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the Flower run did not finish ${rounds} rounds within ${timeoutMs / 1000} s`);
}

function assertRunning(children: ChildProcess[], signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new Error('interrupted');
  const gone = children.find((child) => child.exitCode !== null || child.signalCode !== null);
  if (gone !== undefined)
    throw new Error(
      `${gone.spawnargs.slice(3, 5).join(' ')} exited (${gone.exitCode ?? gone.signalCode})`,
    );
}
