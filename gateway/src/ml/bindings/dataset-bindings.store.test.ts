import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DatasetBindingsStore } from './dataset-bindings.store';
import { participationSeed } from '../../participation/participation-seed';

describe('DatasetBindingsStore', () => {
  it('persists bindings across instances (a restarted gateway keeps them)', () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'fl-bind-')), 'state');
    const store = new DatasetBindingsStore(stateDir);
    assert.equal(store.get('f1'), undefined);
    store.bind('f1', 'd1');
    store.bind('f1', 'd2');
    store.bind('f2', 'd1');
    const reloaded = new DatasetBindingsStore(stateDir);
    assert.equal(reloaded.get('f1'), 'd2');
    assert.equal(reloaded.get('f2'), 'd1');
  });

  it('refuses a corrupt bindings file instead of silently forgetting bindings', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'fl-bind-'));
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'dataset-bindings.json'), '{');
    assert.throws(() => new DatasetBindingsStore(stateDir), SyntaxError);
  });
});

describe('participationSeed', () => {
  it('is a stable uint32 that differs by federation, round and org', () => {
    const seed = participationSeed('f', 1, 'Org1MSP');
    assert.equal(seed, participationSeed('f', 1, 'Org1MSP'));
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff);
    assert.notEqual(seed, participationSeed('f', 2, 'Org1MSP'));
    assert.notEqual(seed, participationSeed('f', 1, 'Org2MSP'));
    assert.notEqual(seed, participationSeed('g', 1, 'Org1MSP'));
  });
});
