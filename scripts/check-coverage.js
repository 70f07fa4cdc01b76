// Line-coverage gate per package over c8's json-summary report. Fails when the package has no
// measured files at all, so a misconfigured run can never pass the gate by measuring nothing.
//   node scripts/check-coverage.js <coverage-summary.json> <minimum %> <package> [<package> …]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [summaryPath, minimumText, ...packages] = process.argv.slice(2);
const minimum = Number(minimumText);
if (!summaryPath || !Number.isFinite(minimum) || packages.length === 0) {
  console.error(
    'usage: node scripts/check-coverage.js <coverage-summary.json> <minimum %> <package> [...]',
  );
  process.exit(2);
}
const summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8'));
const root = path.resolve(__dirname, '..');
let failed = false;
for (const pkg of packages) {
  const prefix = path.join(root, pkg, 'src') + path.sep;
  let total = 0;
  let covered = 0;
  let files = 0;
  for (const [file, entry] of Object.entries(summary)) {
    if (!file.startsWith(prefix) || /\.test\.[cm]?[jt]s$/.test(file)) continue;
    files += 1;
    total += entry.lines.total;
    covered += entry.lines.covered;
  }
  const percent = total === 0 ? 0 : (100 * covered) / total;
  const ok = files > 0 && total > 0 && percent >= minimum;
  console.log(
    `coverage ${pkg}: ${percent.toFixed(2)}% lines (${covered}/${total} in ${files} files), minimum ${minimum}% — ${ok ? 'ok' : 'FAILED'}`,
  );
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
