import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '@fedledger/gateway/dist/demo/repo-paths';

const DEMO = join(REPO_ROOT, 'gateway', 'dist', 'demo', 'main.js');
/** A small run: 2 rounds on 600 patients keeps the smoke test well under a minute on 2 cores. */
const SMALL_RUN = ['--ledger', 'in-process', '--rounds', '2', '--rows', '600', '--test-rows', '1000', '--seed', '3'];
const HOSPITALS = ['Org1MSP', 'Org2MSP', 'Org3MSP'];

interface DemoProcess {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo CLI; `onStdout` may act on the output so far (e.g. send a signal). */
function runDemo(args: string[], onStdout?: (soFar: string, pid: number) => void): Promise<DemoProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
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
    await assert.rejects(fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) }), `${url} still answers after the demo ended`);
  }
}

describe('demo CLI (in-process ledger)', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'fedledger-demo-smoke-'));
  after(() => rmSync(outRoot, { recursive: true, force: true }));

  it('runs a 2-round federation over the gateways’ REST APIs and writes summary.json and report.html', async () => {
    const out = join(outRoot, 'run');
    const run = await runDemo([...SMALL_RUN, '--out', out]);
    assert.equal(run.code, 0, `demo failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /NOT a Fabric network/);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['rounds', 'finalAccuracy', 'centralizedAccuracy', 'localOnlyAccuracy', 'finalModelHash', 'verifiedByAuditor', 'roundSeconds', 'ledger']) {
      assert.ok(key in summary, `summary.json lacks ${key}`);
    }
    assert.equal(summary['ledger'], 'in-process');
    assert.match(summary['ledgerNote'] as string, /^NOT a Fabric network: requested with --ledger in-process$/);
    assert.equal(summary['rounds'], 2);
    assert.equal(summary['verifiedByAuditor'], true);
    assert.match(summary['finalModelHash'] as string, /^[0-9a-f]{64}$/);
    const roundSeconds = summary['roundSeconds'] as number[];
    assert.equal(roundSeconds.length, 2);
    assert.ok(roundSeconds.every((seconds) => seconds > 0));
    assert.deepEqual(Object.keys(summary['localOnlyAccuracy'] as object).sort(), HOSPITALS);
    for (const accuracy of [summary['finalAccuracy'], summary['centralizedAccuracy'], ...Object.values(summary['localOnlyAccuracy'] as object)]) {
      assert.ok(typeof accuracy === 'number' && accuracy >= 0 && accuracy <= 1, `accuracy ${String(accuracy)} is not a fraction`);
    }

    const audit = summary['audit'] as { lineageIntact: boolean; auditorWeightsAccess: string; lineage: Array<{ version: number; modelHash: string }>; timelineActions: Record<string, number> };
    assert.equal(audit.lineageIntact, true);
    assert.equal(audit.auditorWeightsAccess, 'denied (403 FORBIDDEN)');
    assert.deepEqual(audit.lineage.map((v) => v.version), [0, 1, 2]);
    assert.equal(audit.lineage[2]?.modelHash, summary['finalModelHash']);
    assert.equal(audit.timelineActions['SubmitUpdate'], 6);
    assert.equal(audit.timelineActions['Aggregate'], 2);
    const scaling = summary['inputScaling'] as { source: string; center: number[]; scale: number[] };
    assert.equal(scaling.source, 'federation', 'the federation records one input scaling (the gateway default with a bound dataset)');
    assert.equal(scaling.center.length, 12);
    assert.ok(scaling.scale.every((value) => value > 0));
    const roundAccuracy = summary['roundAccuracy'] as Array<{ round: number }>;
    assert.deepEqual(roundAccuracy.map((r) => r.round), [0, 1, 2]);

    const report = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(report, /<svg[^>]*aria-label="accuracy per round"/);
    assert.ok(report.includes(summary['finalModelHash'] as string), 'the report shows the final model hash');
    assert.match(report, /NOT a Fabric network/);
    assert.match(report, /Audit timeline \(\d+ transactions/);
    assert.equal(/<(script|link|img)\b/.test(report), false, 'the report is self-contained');
    await assertNotListening(gatewayUrls(run.stdout));
  });

  it('stops every gateway it started when interrupted with SIGINT mid-federation, exiting 130', async () => {
    const out = join(outRoot, 'interrupted');
    let sent = false;
    const run = await runDemo([...SMALL_RUN, '--out', out], (soFar, pid) => {
      if (!sent && soFar.includes('started the federation')) {
        sent = true;
        // The run needs seconds more from here, so the process is still there to receive it.
        process.kill(pid, 'SIGINT');
      }
    });
    assert.equal(sent, true, `the demo never started the federation:\n${run.stdout}\n${run.stderr}`);
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout, /SIGINT: stopping everything this demo started/);
    for (const mspId of [...HOSPITALS, 'AuditorMSP']) assert.match(run.stdout, new RegExp(`stopping ${mspId} gateway \\(in-process\\)`));
    assert.equal(existsSync(join(out, 'summary.json')), false, 'an interrupted run writes no summary');
    await assertNotListening(gatewayUrls(run.stdout));
  });

  it('rejects bad options with exit code 2 and the usage text', async () => {
    const run = await runDemo(['--ledger', 'docker']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--ledger must be one of auto, fabric, in-process, got "docker"/);
    assert.match(run.stderr, /^Usage: npm run demo/m);
  });
});
