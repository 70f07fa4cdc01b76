import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from './python-env';

test('run resolves to stdout, forwarding stderr lines as progress', async (t) => {
  const progress: string[] = [];
  t.mock.method(process.stderr, 'write', (text: string) => {
    progress.push(text);
    return true;
  });
  const stdout = await run(
    process.execPath,
    ['-e', 'console.log(JSON.stringify({x: process.env.BENCH_X})); console.error("working")'],
    { BENCH_X: '7' },
    'child',
  );
  t.mock.restoreAll();
  assert.equal(stdout, '{"x":"7"}\n');
  assert.ok(progress.some((line) => line.includes('child: working')));
});

test('run rejects with the exit code and the end of stderr', async (t) => {
  t.mock.method(process.stderr, 'write', () => true);
  await assert.rejects(
    run(process.execPath, ['-e', 'console.error("bad thing"); process.exit(3)'], {}, 'child'),
    /child exited with 3: bad thing/,
  );
});
