import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpText, parseBenchArgs, type BenchDefinition } from './bench-args';

const definition: BenchDefinition = {
  name: 'demo',
  summary: 'a demo bench',
  flags: {
    sizes: { type: 'string', description: 'sizes', default: '1,2' },
    verbose: { type: 'boolean', description: 'talk more' },
  },
};

test('parseBenchArgs applies defaults and the common flags', () => {
  const args = parseBenchArgs(definition, [], '/r');
  assert.deepEqual(args, {
    quick: false,
    resultsDir: '/r',
    values: { sizes: '1,2', verbose: undefined },
  });
});

test('parseBenchArgs reads --quick, --results-dir and bench flags', () => {
  const args = parseBenchArgs(
    definition,
    ['--quick', '--results-dir', '/tmp/x', '--sizes', '5', '--verbose'],
    '/r',
  );
  assert.deepEqual(args, {
    quick: true,
    resultsDir: '/tmp/x',
    values: { sizes: '5', verbose: true },
  });
});

test('a --quick run without --results-dir writes beside the full results, in quick/', () => {
  assert.equal(parseBenchArgs(definition, ['--quick'], '/r')?.resultsDir, '/r/quick');
});

test('parseBenchArgs rejects an unknown flag instead of running the default', () => {
  assert.throws(() => parseBenchArgs(definition, ['--size', '5'], '/r'), {
    code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  });
});

test('--help prints the help text and returns undefined', (t) => {
  const printed: string[] = [];
  t.mock.method(console, 'log', (text: string) => printed.push(text));
  assert.equal(parseBenchArgs(definition, ['--help'], '/r'), undefined);
  assert.deepEqual(printed, [helpText(definition)]);
});

test('helpText lists common and bench flags with defaults', () => {
  const text = helpText(definition);
  assert.match(text, /^demo: a demo bench\n/);
  assert.match(text, /--quick/);
  assert.match(text, /--sizes <value> +sizes \(default 1,2\)/);
  assert.match(text, /--verbose +talk more$/m);
});
