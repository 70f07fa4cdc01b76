#!/usr/bin/env node
import { isFedLedgerError } from '@fedledger/core';
import { formatKeepInstructions, formatSummaryTable } from './console-summary';
import { DEMO_HELP, parseDemoOptions, type DemoOptions } from './demo-options';
import { FabricToolsMissingError } from './ledger-choice';
import { Teardown } from './teardown';

/** Exit status after SIGINT/SIGTERM, as shells report it. */
const INTERRUPTED_EXIT = 130;

/** `node demo/dist/main.js [options]`: the multi-hospital demo (see --help). */
async function main(argv: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(argv);
  } catch (error) {
    process.stderr.write(
      `${isFedLedgerError(error) ? error.reason : String(error)}\n\n${DEMO_HELP}`,
    );
    return 2;
  }
  if (options.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const teardown = new Teardown((line) => {
    log(`[teardown] ${line}`);
  });
  // Aborted by the signal handler, which may run at any await below.
  const interruption = new AbortController();
  /** A finished run kept alive with --keep ends normally on Ctrl-C. */
  let keptAfterSuccess = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruption.signal.aborted) {
      process.stderr.write(`${signal} again: exiting without waiting for the teardown\n`);
      process.exit(INTERRUPTED_EXIT);
    }
    interruption.abort();
    log(`\n${signal}: stopping everything this demo started…`);
    void teardown.run().finally(() => process.exit(keptAfterSuccess ? 0 : INTERRUPTED_EXIT));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // Loaded only now so that --help and usage errors answer without loading tfjs and Nest.
    const { runDemo } = await import('./run-demo.js');
    const { summary, consortium } = await runDemo(options, teardown, log);
    log(formatSummaryTable(summary));
    log(
      `wrote ${options.outDir}/summary.json and ${options.outDir}/report.html (wall time ${summary.wallSeconds.toFixed(0)} s)`,
    );
    if (options.keep) {
      keptAfterSuccess = true;
      log(formatKeepInstructions(consortium));
      await new Promise<never>(() => setInterval(() => undefined, 60_000));
    }
    await teardown.run();
    return 0;
  } catch (error) {
    // The run failed because the signal handler's teardown stopped what it was using: wait for that
    // teardown to finish (the network's `down` comes last), never exit under it.
    if (interruption.signal.aborted) {
      await teardown.run();
      return INTERRUPTED_EXIT;
    }
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await teardown.run();
    return error instanceof FabricToolsMissingError ? error.exitCode : 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
