import { readFileSync } from 'node:fs';
import { markdownTable } from '../report/table';
import { summarizeCategories, summarizeProfile, type CpuProfile } from './cpu-profile';

/** CLI: `node dist/profile/summarize.js <file.cpuprofile> [top]` prints the top functions by self time. */
function main(): void {
  const args = process.argv.slice(2);
  const file = args.at(0);
  const top = args.at(1) ?? '15';
  if (file === undefined || file === '--help') {
    console.log(
      'usage: summarize.js <file.cpuprofile> [top=15]  — top functions by self time from node --cpu-prof',
    );
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(
    markdownTable(
      ['code', 'self ms', 'self %'],
      summarizeCategories(profile)
        .slice(0, 10)
        .map((c) => [c.category, c.selfMs, (100 * c.selfShare).toFixed(1)]),
    ),
  );
  console.log('');
  const costs = summarizeProfile(profile).slice(0, Number(top));
  console.log(
    markdownTable(
      ['function', 'self ms', 'self %', 'total ms'],
      costs.map((c) => [c.name, c.selfMs, (100 * c.selfShare).toFixed(1), c.totalMs]),
    ),
  );
}

main();
