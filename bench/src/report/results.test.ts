import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeResult } from './results';

test('writeResult writes <name>.json with machine info and the given fields', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  try {
    const file = writeResult(path.join(dir, 'nested'), {
      name: 'demo',
      quick: true,
      notes: ['n'],
      table: '| t |',
      data: { x: 1 },
    });
    assert.equal(file, path.join(dir, 'nested', 'demo.json'));
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(written.name, 'demo');
    assert.equal(written.quick, true);
    assert.deepEqual(written.data, { x: 1 });
    assert.deepEqual(written.notes, ['n']);
    const machine = written.machine as { cpus: number; node: string; cpuModel: string };
    assert.equal(machine.node, process.version);
    assert.ok(machine.cpus >= 1);
    assert.ok(machine.cpuModel.length > 0);
    assert.ok(!Number.isNaN(Date.parse(written.finishedAt as string)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
