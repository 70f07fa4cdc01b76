import { FedLedgerError } from '@fedledger/core';

/** How many line numbers and example values one problem keeps: enough to find the cells, small enough to read. */
const FIRST_LINES = 5;
const EXAMPLES = 3;

/** One kind of problem in one column (or in whole rows when `column` is null), with its count. */
export interface ColumnProblem {
  column: string | null;
  problem: string;
  count: number;
  /** The first few 1-based line numbers where it occurs. */
  firstLines: number[];
  /** The first few distinct offending values, when the problem is about cell values. */
  examples: string[];
  /** The file, when problems of several files are reported together. */
  file?: string;
}

/**
 * Collects every problem of a data file grouped by column and kind, so a data steward sees all that
 * is wrong with a file in one answer (with counts and where to look) instead of one cell at a time.
 */
export class ProblemCollector {
  readonly #problems = new Map<string, ColumnProblem>();

  /** @param file names the file of this collector's problems when several files are checked together. */
  constructor(readonly file?: string) {}

  add(column: string | null, problem: string, line: number, value?: string): void {
    const key = `${column ?? ''}\u0000${problem}`;
    let entry = this.#problems.get(key);
    if (entry === undefined) {
      entry = { column, problem, count: 0, firstLines: [], examples: [] };
      if (this.file !== undefined) entry.file = this.file;
      this.#problems.set(key, entry);
    }
    entry.count += 1;
    if (entry.firstLines.length < FIRST_LINES) entry.firstLines.push(line);
    if (value !== undefined && entry.examples.length < EXAMPLES && !entry.examples.includes(value))
      entry.examples.push(value);
  }

  get size(): number {
    return this.#problems.size;
  }

  list(): ColumnProblem[] {
    return [...this.#problems.values()];
  }

  /** INVALID_ARGUMENT listing every problem (message and `details.problems`) when there is any. */
  throwIfAny(subject: string, details: Record<string, unknown> = {}): void {
    if (this.#problems.size === 0) return;
    const problems = this.list();
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${subject}: ${problems.length} problem(s): ${problems.map(describeProblem).join('; ')}`,
      { ...details, problems },
    );
  }
}

/** One problem as a sentence: column, what, how many, where, examples. */
export function describeProblem(problem: ColumnProblem): string {
  const where = `${problem.file === undefined ? '' : `${problem.file} `}${problem.column === null ? '' : `column "${problem.column}": `}`;
  const lines =
    problem.firstLines.length === 0
      ? ''
      : ` (line${problem.firstLines.length > 1 ? 's' : ''} ${problem.firstLines.join(', ')}${problem.count > problem.firstLines.length ? ', …' : ''})`;
  const examples =
    problem.examples.length === 0
      ? ''
      : ` e.g. ${problem.examples.map((value) => JSON.stringify(value)).join(', ')}`;
  const count = problem.count > 1 ? ` ×${problem.count}` : '';
  return `${where}${problem.problem}${count}${lines}${examples}`;
}

/** INVALID_ARGUMENT listing the problems of several collectors (e.g. a dataset's file and its test file), when there is any. */
export function throwIfAnyProblem(
  subject: string,
  collectors: readonly ProblemCollector[],
  details: Record<string, unknown> = {},
): void {
  const problems = collectors.flatMap((collector) => collector.list());
  if (problems.length === 0) return;
  throw new FedLedgerError(
    'INVALID_ARGUMENT',
    `${subject}: ${problems.length} problem(s): ${problems.map(describeProblem).join('; ')}`,
    { ...details, problems },
  );
}
