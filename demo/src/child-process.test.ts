import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { runCommand, stopChild, stripAnsi } from './child-process';

describe('runCommand', () => {
  it('collects stdout and stderr, reports each line and the exit code', async () => {
    const lines: string[] = [];
    const result = await runCommand(
      'bash',
      ['-c', 'echo one; echo two >&2; printf three; exit 3'],
      { cwd: '/', onLine: (line) => lines.push(line) },
    );
    assert.equal(result.code, 3);
    assert.deepEqual(lines.sort(), ['one', 'three', 'two']);
    assert.ok(result.output.includes('one\n') && result.output.includes('two\n'));
  });

  it('passes the given environment', async () => {
    const result = await runCommand('bash', ['-c', 'printf "%s" "$DEMO_VALUE"'], {
      cwd: '/',
      env: { PATH: process.env['PATH'], DEMO_VALUE: 'seen' },
    });
    assert.equal(result.output, 'seen');
  });

  it('terminates the child when the signal aborts and reports 128 + SIGTERM', async () => {
    const controller = new AbortController();
    const running = runCommand('sleep', ['30'], { cwd: '/', signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 50);
    assert.equal((await running).code, 143);
  });
});

describe('stopChild', () => {
  it('kills with SIGKILL a child that ignores SIGTERM, after the grace period', async () => {
    const child = spawn('bash', ['-c', 'trap "" TERM; echo ready; sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await stopChild(child, 200);
    assert.equal(child.signalCode, 'SIGKILL');
  });

  it('returns at once for a child that already exited', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    await stopChild(child);
    assert.equal(child.exitCode, 0);
  });
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    assert.equal(stripAnsi('\u001b[0;31mERROR\u001b[0m done'), 'ERROR done');
  });
});
