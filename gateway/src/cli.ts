#!/usr/bin/env node
import { runKeysCli } from './api/auth/keys-cli';

/**
 * `node gateway/dist/cli.js keys ...` and `node gateway/dist/cli.js doctor`: operator commands that
 * do not need a running gateway.
 */
if (process.argv[2] === 'doctor') {
  // libtensorflow reads this when it loads: keep its C++ info logs out of the report.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  void import('./ml/training/doctor.js').then(async ({ runDoctor }) => {
    process.exitCode = await runDoctor((line) => process.stdout.write(`${line}\n`));
  });
} else {
  process.exitCode = runKeysCli(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
