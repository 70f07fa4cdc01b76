import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FedLedgerError } from '@fedledger/core';
import { DEFAULT_DEMO_OPTIONS, parseDemoOptions } from './demo-options';

function rejects(argv: string[], message: string): void {
  assert.throws(
    () => parseDemoOptions(argv),
    (error: unknown) =>
      error instanceof FedLedgerError &&
      error.code === 'INVALID_ARGUMENT' &&
      error.reason === message,
  );
}

describe('parseDemoOptions', () => {
  it('returns the defaults for no arguments', () => {
    assert.deepEqual(parseDemoOptions([]), { ...DEFAULT_DEMO_OPTIONS, help: false });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const options = parseDemoOptions([
      '--rounds',
      '3',
      '--seed=9',
      '--ledger',
      'in-process',
      '--keep',
      '--out',
      'x/y',
      '--rows=900',
      '--split',
      'dirichlet',
      '--alpha',
      '0.5',
      '--epochs',
      '1',
      '--test-rows',
      '500',
      '--learning-rate',
      '0.02',
      '--proximal-mu=0.1',
      '--task',
      'image',
    ]);
    assert.deepEqual(options, {
      task: 'image',
      rounds: 3,
      seed: 9,
      ledger: 'in-process',
      keep: true,
      outDir: 'x/y',
      rows: 900,
      split: 'dirichlet',
      alpha: 0.5,
      epochs: 1,
      testRows: 500,
      learningRate: 0.02,
      proximalMu: 0.1,
      help: false,
    });
  });

  it('recognises -h and --help', () => {
    assert.equal(parseDemoOptions(['-h']).help, true);
    assert.equal(parseDemoOptions(['--help']).help, true);
  });

  it('rejects unknown options, missing values and out-of-range numbers with the option named', () => {
    rejects(['--verbose'], 'unknown option --verbose (see --help)');
    rejects(['--rounds'], '--rounds needs a value');
    rejects(['--rounds', '0'], '--rounds must be an integer in [1, 100], got "0"');
    rejects(['--rounds', '2.5'], '--rounds must be an integer in [1, 100], got "2.5"');
    rejects(['--test-rows', 'many'], '--test-rows must be an integer in [10, 1000000], got "many"');
    rejects(['--ledger', 'docker'], '--ledger must be one of fabric, in-process, got "docker"');
    rejects(['--task', 'audio'], '--task must be one of clinical, image, got "audio"');
    rejects(['--alpha', '0'], '--alpha must be a number in [0.01, 1000]');
    rejects(
      ['--split', 'iid'],
      '--split must be one of dirichlet-equal-size, dirichlet, got "iid"',
    );
    rejects(['--learning-rate', '0'], '--learning-rate must be a number in [0.00001, 1]');
    rejects(['--proximal-mu', '-1'], '--proximal-mu must be a number in [0, 100]');
  });
});
