import path from 'node:path';
import { parseArgs } from 'node:util';

/** A flag a benchmark accepts besides the common ones. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  default?: string | boolean;
}

export interface BenchDefinition {
  /** Result name: the JSON goes to `results/<name>.json`. */
  name: string;
  summary: string;
  flags?: Record<string, FlagSpec>;
}

export interface BenchArgs {
  quick: boolean;
  /** Folder for the JSON result; default `bench/results`. */
  resultsDir: string;
  values: Record<string, string | boolean | undefined>;
}

/** The text `--help` prints for a benchmark. */
export function helpText(definition: BenchDefinition): string {
  const lines = [`${definition.name}: ${definition.summary}`, '', 'Options:'];
  const all: Record<string, FlagSpec> = {
    help: { type: 'boolean', description: 'print this help and exit' },
    quick: {
      type: 'boolean',
      description: 'smaller sizes and fewer repetitions (a smoke run, not for the record)',
    },
    'results-dir': {
      type: 'string',
      description: 'where to write <name>.json',
      default: 'bench/results',
    },
    ...definition.flags,
  };
  for (const [flag, spec] of Object.entries(all)) {
    const value = spec.type === 'string' ? ' <value>' : '';
    const fallback =
      spec.default !== undefined && spec.default !== false
        ? ` (default ${String(spec.default)})`
        : '';
    lines.push(`  --${flag}${value}`.padEnd(30) + spec.description + fallback);
  }
  return lines.join('\n');
}

/**
 * Parses argv for a benchmark; returns undefined after printing help for `--help`. Unknown flags throw
 * (node:util's ERR_PARSE_ARGS_UNKNOWN_OPTION), so a typo never silently runs the default benchmark.
 */
export function parseBenchArgs(
  definition: BenchDefinition,
  argv: string[],
  defaultResultsDir: string,
): BenchArgs | undefined {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    help: { type: 'boolean' },
    quick: { type: 'boolean' },
    'results-dir': { type: 'string' },
  };
  for (const [flag, spec] of Object.entries(definition.flags ?? {})) {
    options[flag] = { type: spec.type };
  }
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  if (values.help === true) {
    console.log(helpText(definition));
    return undefined;
  }
  const merged: Record<string, string | boolean | undefined> = {};
  for (const [flag, spec] of Object.entries(definition.flags ?? {})) {
    merged[flag] = (values as Record<string, string | boolean | undefined>)[flag] ?? spec.default;
  }
  const quick = values.quick === true;
  // A --quick run is a smoke test: unless told otherwise it must not overwrite the committed record
  // of the last full run, so its results go to a `quick/` subdirectory.
  const resultsDir =
    typeof values['results-dir'] === 'string'
      ? values['results-dir']
      : quick
        ? path.join(defaultResultsDir, 'quick')
        : defaultResultsDir;
  return {
    quick,
    resultsDir,
    values: merged,
  };
}
