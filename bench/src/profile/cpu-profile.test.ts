import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  frameCategory,
  summarizeCategories,
  summarizeProfile,
  type CpuProfile,
} from './cpu-profile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

test('summarizeProfile: self time per function, inclusive time up the stack, largest self first', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2] },
      { id: 2, callFrame: frame('main', 'file:///work/main/bench/dist/x.js', 9), children: [3, 4] },
      { id: 3, callFrame: frame('hot', 'file:///repo/node_modules/pkg/a.js', 0) },
      { id: 4, callFrame: frame('') },
    ],
    samples: [3, 3, 2, 4, 3],
    timeDeltas: [1000, 2000, 500, 1500, 1000],
  };
  const costs = summarizeProfile(profile);
  assert.deepEqual(
    costs.map((c) => [c.name, c.selfMs, c.totalMs]),
    [
      ['hot (pkg/a.js:1)', 4, 4],
      ['(anonymous)', 1.5, 1.5],
      ['main (bench/dist/x.js:10)', 0.5, 6],
    ],
  );
  assert.equal(costs[0]?.selfShare, 4 / 6);
});

test('summarizeProfile of an empty profile is empty', () => {
  assert.deepEqual(summarizeProfile({ nodes: [], samples: [], timeDeltas: [] }), []);
});

test('frameCategory names packages, wasm, repo packages, Node internals and V8 labels', () => {
  assert.equal(
    frameCategory(frame('f', 'file:///r/node_modules/@tensorflow/tfjs-core/dist/x.js')),
    '@tensorflow/tfjs-core',
  );
  assert.equal(frameCategory(frame('f', 'file:///r/node_modules/long/index.js')), 'long');
  assert.equal(frameCategory(frame('$func12', 'wasm://wasm/abc')), 'wasm');
  assert.equal(
    frameCategory(frame('f', 'file:///work/main/chaincode/dist/contracts/a.js')),
    'fedledger/chaincode',
  );
  assert.equal(frameCategory(frame('f', 'node:internal/modules/cjs/loader')), 'node');
  assert.equal(frameCategory(frame('(garbage collector)')), '(garbage collector)');
});

test('summarizeCategories adds self time per category', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('a', 'file:///r/node_modules/p/a.js'), children: [2] },
      { id: 2, callFrame: frame('b', 'file:///r/node_modules/p/b.js') },
      { id: 3, callFrame: frame('(garbage collector)') },
    ],
    samples: [1, 2, 3],
    timeDeltas: [1000, 1000, 2000],
  };
  assert.deepEqual(summarizeCategories(profile), [
    { category: 'p', selfMs: 2, selfShare: 0.5 },
    { category: '(garbage collector)', selfMs: 2, selfShare: 0.5 },
  ]);
});
