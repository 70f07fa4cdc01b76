#!/usr/bin/env node
import { runKeysCli } from './auth/keys-cli';

/** `node gateway/dist/cli.js keys ...`: operator commands that do not need a running gateway. */
process.exitCode = runKeysCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
