import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  diffHistogramTotals,
  listeningPortsOf,
  parseCpuTicks,
  parseHistogramTotals,
  parseVmHwmKiB,
} from './process-cost';

test('parseCpuTicks adds utime and stime, counting fields after the last parenthesis', () => {
  const stat =
    '4242 (peer (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 12 0 9999 0 0';
  assert.equal(parseCpuTicks(stat), 1234 + 56);
  assert.equal(parseCpuTicks('garbage'), undefined);
  assert.equal(parseCpuTicks('1 (a) S 1'), undefined);
});

test('parseVmHwmKiB reads the peak resident set', () => {
  assert.equal(parseVmHwmKiB('Name:\tpeer\nVmHWM:\t  204800 kB\nVmRSS:\t 1000 kB\n'), 204800);
  assert.equal(parseVmHwmKiB('Name:\tkthread\n'), undefined);
});

test('parseHistogramTotals keeps sum and count per series without the channel label, and the diff keeps what moved', () => {
  const before = parseHistogramTotals(
    [
      '# TYPE endorser_proposal_duration histogram',
      'endorser_proposal_duration_bucket{channel="c",chaincode="fl",success="true",le="1"} 3',
      'endorser_proposal_duration_sum{channel="c",chaincode="fl",success="true"} 1.5',
      'endorser_proposal_duration_count{channel="c",chaincode="fl",success="true"} 3',
      'ledger_block_processing_time_sum{channel="c"} 0.2',
      'ledger_block_processing_time_count{channel="c"} 2',
      'go_gc_duration_seconds_sum 9',
      'go_gc_duration_seconds_count 9',
    ].join('\n'),
    /^(endorser|ledger)_/,
  );
  assert.deepEqual(
    [...before.keys()],
    ['endorser_proposal_duration{chaincode="fl",success="true"}', 'ledger_block_processing_time'],
  );
  const after = parseHistogramTotals(
    [
      'endorser_proposal_duration_sum{channel="c",chaincode="fl",success="true"} 4.5',
      'endorser_proposal_duration_count{channel="c",chaincode="fl",success="true"} 5',
      'ledger_block_processing_time_sum{channel="c"} 0.2',
      'ledger_block_processing_time_count{channel="c"} 2',
    ].join('\n'),
    /^(endorser|ledger)_/,
  );
  assert.deepEqual(diffHistogramTotals(before, after), [
    { series: 'endorser_proposal_duration{chaincode="fl",success="true"}', sum: 3, count: 2 },
  ]);
});

test('listeningPortsOf picks the ports of one pid from ss output', () => {
  const ss = [
    'LISTEN 0 4096 127.0.0.1:7151 0.0.0.0:* users:(("peer",pid=101,fd=12))',
    'LISTEN 0 4096 127.0.0.1:40123 0.0.0.0:* users:(("peer",pid=101,fd=30))',
    'LISTEN 0 4096 127.0.0.1:7161 0.0.0.0:* users:(("peer",pid=1010,fd=12))',
  ].join('\n');
  assert.deepEqual(listeningPortsOf(ss, 101), [7151, 40123]);
});
