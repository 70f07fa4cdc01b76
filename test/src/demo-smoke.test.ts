import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, withNetworkLock } from '@fedledger/demo';
import { requireFabricTools } from './support/fabric-tools';
import {
  busyPorts,
  defaultLayoutPorts,
  NETWORK_STATE_DIR,
  processAlive,
  recordedPids,
} from './support/network';

const DEMO = join(REPO_ROOT, 'demo', 'dist', 'main.js');
/** A small run: 2 rounds on 600 patients; no --ledger, so the default (real Fabric) is what is tested. */
const SMALL_RUN = ['--rounds', '2', '--rows', '600', '--test-rows', '1000', '--seed', '3'];
const HOSPITALS = ['Org1MSP', 'Org2MSP', 'Org3MSP'];

interface DemoProcess {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo CLI; `onStdout` may act on the output so far (e.g. send a signal). */
function runDemo(
  args: string[],
  onStdout?: (soFar: string, pid: number) => void,
  env: NodeJS.ProcessEnv = {},
): Promise<DemoProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      onStdout?.(stdout, child.pid as number);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function gatewayUrls(stdout: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith('gateways: '));
  assert.ok(line, 'the demo prints the gateway URLs');
  return [...line.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]);
}

async function assertNotListening(urls: string[]): Promise<void> {
  assert.equal(urls.length, 4);
  for (const url of urls) {
    await assert.rejects(
      fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) }),
      `${url} still answers after the demo ended`,
    );
  }
}

describe('demo CLI on a real Fabric network (the default)', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'fedledger-demo-smoke-'));
  after(() => {
    rmSync(outRoot, { recursive: true, force: true });
  });

  it(
    'brings Fabric up, runs a 2-round federation over the gateways’ REST APIs, writes summary.json and report.html, and leaves nothing running',
    { timeout: 15 * 60_000 },
    async () => {
      await requireFabricTools();
      await withNetworkLock(async () => {
        assert.equal(
          existsSync(NETWORK_STATE_DIR),
          false,
          `${NETWORK_STATE_DIR} exists: another network is up`,
        );
        const out = join(outRoot, 'run');
        let networkPids: number[] = [];
        const run = await runDemo([...SMALL_RUN, '--out', out], (soFar) => {
          if (networkPids.length === 0 && soFar.includes('started the federation'))
            networkPids = recordedPids();
        });
        assert.equal(run.code, 0, `demo failed:\n${run.stdout}\n${run.stderr}`);
        assert.doesNotMatch(run.stdout, /NOT a Fabric network/);
        assert.match(run.stdout, /ledger: fabric 3\.1\.\d+/);

        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        for (const key of [
          'rounds',
          'finalAccuracy',
          'centralizedAccuracy',
          'localOnlyAccuracy',
          'finalModelHash',
          'verifiedByAuditor',
          'roundSeconds',
          'ledger',
          'roundMetrics',
        ]) {
          assert.ok(key in summary, `summary.json lacks ${key}`);
        }
        assert.equal(summary['ledger'], 'fabric');
        assert.match(summary['fabricVersion'] as string, /^3\.1\.\d+$/);
        assert.equal(summary['ledgerNote'], undefined);
        assert.equal(summary['rounds'], 2);
        assert.equal(summary['verifiedByAuditor'], true);
        assert.match(summary['finalModelHash'] as string, /^[0-9a-f]{64}$/);
        const roundSeconds = summary['roundSeconds'] as number[];
        assert.equal(roundSeconds.length, 2);
        assert.ok(roundSeconds.every((seconds) => seconds > 0));
        assert.deepEqual(Object.keys(summary['localOnlyAccuracy'] as object).sort(), HOSPITALS);
        for (const accuracy of [
          summary['finalAccuracy'],
          summary['centralizedAccuracy'],
          ...Object.values(summary['localOnlyAccuracy'] as Record<string, unknown>),
        ]) {
          assert.ok(
            typeof accuracy === 'number' && accuracy >= 0 && accuracy <= 1,
            `accuracy ${String(accuracy)} is not a fraction`,
          );
        }
        // One aggregator per round: every round aggregated once, and at most one lost attempt per round.
        const metrics = summary['roundMetrics'] as {
          aggregations: { succeeded: number; failed: number };
          training: { count: number };
        };
        assert.equal(metrics.aggregations.succeeded, 2);
        assert.ok(
          metrics.aggregations.failed <= 2,
          `${metrics.aggregations.failed} failed Aggregate calls in 2 rounds`,
        );
        assert.equal(metrics.training.count, 6, 'three hospitals trained in each of two rounds');

        const audit = summary['audit'] as {
          lineageIntact: boolean;
          auditorWeightsAccess: string;
          lineage: Array<{ version: number; modelHash: string }>;
          timelineActions: Record<string, number>;
        };
        assert.equal(audit.lineageIntact, true);
        assert.equal(audit.auditorWeightsAccess, 'denied (403 FORBIDDEN)');
        assert.deepEqual(
          audit.lineage.map((v) => v.version),
          [0, 1, 2],
        );
        assert.equal(audit.lineage[2]?.modelHash, summary['finalModelHash']);
        assert.equal(audit.timelineActions['SubmitUpdate'], 6);
        assert.equal(audit.timelineActions['Aggregate'], 2);
        const scaling = summary['inputScaling'] as {
          source: string;
          center: number[];
          scale: number[];
        };
        assert.equal(
          scaling.source,
          'federation',
          'the federation records one input scaling (the gateway default with a bound dataset)',
        );
        assert.equal(scaling.center.length, 12);
        assert.ok(scaling.scale.every((value) => value > 0));
        const roundAccuracy = summary['roundAccuracy'] as Array<{ round: number }>;
        assert.deepEqual(
          roundAccuracy.map((r) => r.round),
          [0, 1, 2],
        );

        const report = readFileSync(join(out, 'report.html'), 'utf8');
        assert.match(report, /<svg[^>]*aria-label="accuracy per round"/);
        assert.ok(
          report.includes(summary['finalModelHash'] as string),
          'the report shows the final model hash',
        );
        assert.match(report, /Ledger: fabric 3\.1\.\d+/);
        assert.match(report, /Audit timeline \(\d+ transactions/);
        assert.equal(/<(script|link|img)\b/.test(report), false, 'the report is self-contained');

        // Each gateway process wrote its own log, and only its own.
        for (const mspId of [...HOSPITALS, 'AuditorMSP']) {
          const lines = readFileSync(join(out, 'logs', `${mspId}.log`), 'utf8')
            .split('\n')
            .filter((line) => line.startsWith('{'));
          assert.ok(lines.length > 0, `${mspId}.log is empty`);
          for (const line of lines)
            assert.equal(
              (JSON.parse(line) as { org: string }).org,
              mspId,
              `${mspId}.log holds a line of another org: ${line}`,
            );
        }

        await assertNotListening(gatewayUrls(run.stdout));
        assert.ok(
          networkPids.length >= 9,
          `the network recorded ${networkPids.length} processes while the federation ran`,
        );
        assert.deepEqual(
          networkPids.filter(processAlive),
          [],
          'network processes still run after the demo',
        );
        assert.equal(existsSync(NETWORK_STATE_DIR), false, 'network.sh down removed the state');
        assert.deepEqual(
          await busyPorts(defaultLayoutPorts()),
          [],
          'network ports are still bound after the demo',
        );
      });
    },
  );

  it(
    'stops every gateway and the network when interrupted with SIGINT mid-federation, exiting 130',
    { timeout: 10 * 60_000 },
    async () => {
      await requireFabricTools();
      await withNetworkLock(async () => {
        const out = join(outRoot, 'interrupted');
        let networkPids: number[] = [];
        const run = await runDemo([...SMALL_RUN, '--out', out], (soFar, pid) => {
          if (networkPids.length === 0 && soFar.includes('started the federation')) {
            networkPids = recordedPids();
            // The run needs seconds more from here, so the process is still there to receive it.
            process.kill(pid, 'SIGINT');
          }
        });
        assert.ok(
          networkPids.length > 0,
          `the demo never started the federation:\n${run.stdout}\n${run.stderr}`,
        );
        assert.equal(run.code, 130, run.stderr);
        assert.match(run.stdout, /SIGINT: stopping everything this demo started/);
        for (const mspId of [...HOSPITALS, 'AuditorMSP'])
          assert.match(run.stdout, new RegExp(`stopping ${mspId} gateway \\(pid \\d+\\)`));
        assert.match(run.stdout, /stopping the Fabric network \(network\.sh down\)/);
        assert.equal(
          existsSync(join(out, 'summary.json')),
          false,
          'an interrupted run writes no summary',
        );
        await assertNotListening(gatewayUrls(run.stdout));
        assert.deepEqual(
          networkPids.filter(processAlive),
          [],
          'network processes still run after the interrupted demo',
        );
        assert.deepEqual(
          await busyPorts(defaultLayoutPorts()),
          [],
          'network ports are still bound after the interrupted demo',
        );
      });
    },
  );

  it('refuses to run without the Fabric tools instead of falling back to the in-process ledger', async () => {
    const run = await runDemo([...SMALL_RUN, '--out', join(outRoot, 'no-tools')], undefined, {
      FABRIC_BIN: join(outRoot, 'no-such-fabric', 'bin'),
    });
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      /the demo runs on a real Fabric network, but the Fabric tools are not available: .*FABRIC_BIN=.*no-such-fabric/,
    );
    assert.match(run.stderr, /--ledger in-process/);
    assert.doesNotMatch(run.stdout, /NOT a Fabric network|gateways: /);
  });

  it('rejects bad options with exit code 2 and the usage text', async () => {
    const run = await runDemo(['--ledger', 'auto']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--ledger must be one of fabric, in-process, got "auto"/);
    assert.match(run.stderr, /^Usage: npm run demo/m);
  });
});

describe('demo CLI with --ledger in-process (announced as NOT Fabric)', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'fedledger-demo-inproc-'));
  after(() => {
    rmSync(outRoot, { recursive: true, force: true });
  });

  it('runs a 1-round federation, says it is not Fabric everywhere, and logs all gateways to one honestly named file', async () => {
    const out = join(outRoot, 'run');
    const run = await runDemo([
      '--ledger',
      'in-process',
      '--rounds',
      '1',
      '--rows',
      '600',
      '--test-rows',
      '500',
      '--seed',
      '3',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, `demo failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /NOT a Fabric network/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(summary['ledger'], 'in-process');
    assert.match(
      summary['ledgerNote'] as string,
      /^NOT a Fabric network: requested with --ledger in-process$/,
    );
    assert.equal(summary['verifiedByAuditor'], true);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /NOT a Fabric network/);
    assert.ok(
      readFileSync(join(out, 'logs', 'in-process-gateways.log'), 'utf8').includes(
        '"org":"Org2MSP"',
      ),
      'the shared log names each org',
    );
    assert.equal(existsSync(join(out, 'logs', 'AuditorMSP.log')), false);
    await assertNotListening(gatewayUrls(run.stdout));
  });
});
