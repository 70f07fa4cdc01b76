import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BenchResult } from './results';

/**
 * Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in a Markdown document
 * with the table and notes of `results/NAME.json`, so docs/performance.md always shows the latest run.
 * Returns the new text and the names it filled.
 */
export function fillBenchTables(
  doc: string,
  load: (name: string) => BenchResult<unknown> | undefined,
): { text: string; filled: string[] } {
  const filled: string[] = [];
  const text = doc.replace(
    /<!-- bench:([a-z-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g,
    (block, name: string) => {
      const result = load(name);
      if (result === undefined) {
        return block;
      }
      filled.push(name);
      const loadAverage = formatLoadAverage(result.machine);
      const when = `${result.finishedAt.slice(0, 16).replace('T', ' ')} UTC${result.quick ? ', --quick run' : ''}; load average at the end (1/5/15 min) ${loadAverage} on ${result.machine.cpus} cores`;
      const notes = result.notes.map((note) => `- ${note}`).join('\n');
      return `<!-- bench:${name} -->\n_Run of ${when}._\n\n${result.table}\n\n${notes}\n<!-- /bench:${name} -->`;
    },
  );
  return { text, filled };
}

/** The load average of a stored result; result files written before it was recorded have none. */
function formatLoadAverage(machine: { loadAverage?: readonly number[] | null }): string {
  return machine.loadAverage?.map((value) => value.toFixed(2)).join(' / ') ?? 'n/a';
}

/** CLI: `node dist/report/doc-tables.js <doc.md> <resultsDir>` rewrites the document in place. */
function main(): void {
  const args = process.argv.slice(2);
  const docPath = args.at(0);
  const resultsDir = args.at(1);
  if (docPath === undefined || resultsDir === undefined) {
    console.log(
      'usage: doc-tables.js <doc.md> <resultsDir>  — fills <!-- bench:NAME --> blocks from <resultsDir>/NAME.json',
    );
    return;
  }
  const { text, filled } = fillBenchTables(readFileSync(docPath, 'utf8'), (name) => {
    const file = path.join(resultsDir, `${name}.json`);
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult<unknown>)
      : undefined;
  });
  writeFileSync(docPath, text);
  console.log(`${docPath}: filled ${filled.join(', ') || 'nothing'}`);
}

if (require.main === module) {
  main();
}
