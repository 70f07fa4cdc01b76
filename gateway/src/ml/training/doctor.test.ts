import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NATIVE_DIR_ENV } from '../native/native-location';
import { runDoctor } from './doctor';

test('doctor on a host without the native setup: says so, benchmarks wasm, exits 0', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'fl-doctor-'));
  process.env[NATIVE_DIR_ENV] = empty;
  const lines: string[] = [];
  assert.equal(await runDoctor((line) => lines.push(line)), 0);
  assert.equal(lines[0], 'native cpu build: not set up');
  assert.equal(lines[1], 'native gpu build: not set up');
  assert.ok(
    lines.includes(
      `backend tensorflow: unavailable (the native cpu build is not set up in ${join(empty, 'cpu')} (run npm run setup:native))`,
    ),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((line) =>
      /^benchmark wasm: mlp 12-32-16-1 \d+\.\d\d s, cnn 14×14 not trainable here/.test(line),
    ),
    lines.join('\n'),
  );
  assert.ok(!lines.some((line) => line.startsWith('benchmark tensorflow')));
});
