import * as path from 'node:path';
import { parseBenchArgs, type BenchArgs, type BenchDefinition } from './bench-args';
import { writeResult } from '../report/results';

/** The bench package's root folder (dist/cli/ → bench/). */
export const BENCH_ROOT = path.resolve(__dirname, '..', '..');

export interface BenchOutput<T> {
  table: string;
  notes: string[];
  data: T;
}

/** Prints a progress line on stderr, so stdout keeps only the tables. */
export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Runs one benchmark as a CLI: parses flags (or prints help), runs `body`, prints its table and notes,
 * writes `results/<name>.json`. Exits non-zero on any error, with the error's message.
 */
export function runBench<T>(
  definition: BenchDefinition,
  body: (args: BenchArgs) => Promise<BenchOutput<T>>,
): void {
  const main = async (): Promise<void> => {
    const args = parseBenchArgs(
      definition,
      process.argv.slice(2),
      path.join(BENCH_ROOT, 'results'),
    );
    if (args === undefined) {
      return;
    }
    const started = performance.now();
    const output = await body(args);
    console.log(`\n## ${definition.name}${args.quick ? ' (--quick)' : ''}\n`);
    console.log(output.table);
    if (output.notes.length > 0) {
      console.log('');
      for (const note of output.notes) {
        console.log(`- ${note}`);
      }
    }
    const file = writeResult(args.resultsDir, {
      name: definition.name,
      quick: args.quick,
      notes: output.notes,
      table: output.table,
      data: output.data,
    });
    progress(
      `${definition.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s, wrote ${path.relative(process.cwd(), file)}`,
    );
  };
  main().catch((error: unknown) => {
    console.error(
      `${definition.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  });
}
