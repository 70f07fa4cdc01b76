// Sums the results of every test run in a directory (TAP files from node --test, plus the
// `N passed, M failed` line of the network script tests) into one closing line.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of fs.readdirSync(dir)) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  if (file.endsWith('.tap')) {
    totals.passed += lastNumber(text, /^# pass (\d+)$/gm);
    totals.failed +=
      lastNumber(text, /^# fail (\d+)$/gm) + lastNumber(text, /^# cancelled (\d+)$/gm);
    totals.skipped +=
      lastNumber(text, /^# skipped (\d+)$/gm) + lastNumber(text, /^# todo (\d+)$/gm);
  } else {
    const match = [...text.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
    if (match) {
      totals.passed += Number(match[1]);
      totals.failed += Number(match[2]);
      totals.skipped += Number(match[3] ?? 0);
    }
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);

function lastNumber(text, pattern) {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 0 ? 0 : Number(matches[matches.length - 1][1]);
}
