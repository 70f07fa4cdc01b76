import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatKeepInstructions } from './console-summary';

test('--keep names every gateway’s data directory, where CSV files to register go', () => {
  const endpoint = (mspId: string, port: number) => ({ mspId, baseUrl: `http://127.0.0.1:${port}`, keys: { admin: 'a', scientist: 's', auditor: 'u' }, dataDir: `/tmp/run/${mspId}/data` });
  const text = formatKeepInstructions({ ledger: 'in-process', hospitals: [endpoint('Org1MSP', 3001)], auditor: endpoint('AuditorMSP', 3002), logDir: '/tmp/run/logs' });
  assert.match(text, /Org1MSP {2}http:\/\/127\.0\.0\.1:3001\/api\n {6}data dir {2}\/tmp\/run\/Org1MSP\/data {2}\(CSV files to register with POST \/datasets go here\)/);
  assert.match(text, /data dir {2}\/tmp\/run\/AuditorMSP\/data/);
});
