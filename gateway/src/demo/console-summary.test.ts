import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatKeepInstructions } from './console-summary';

describe('formatKeepInstructions', () => {
  it('prints each gateway’s web console URL, its Swagger URL and the keys to log in with', () => {
    const endpoint = (mspId: string, port: number) => ({ mspId, baseUrl: `http://127.0.0.1:${port}`, keys: { admin: `${mspId}-a`, scientist: `${mspId}-s`, auditor: `${mspId}-x` } });
    const text = formatKeepInstructions({ ledger: 'fabric', hospitals: [endpoint('Org1MSP', 4001), endpoint('Org2MSP', 4002)], auditor: endpoint('AuditorMSP', 4009), logDir: '/tmp/logs' });
    for (const [mspId, port] of [['Org1MSP', 4001], ['Org2MSP', 4002], ['AuditorMSP', 4009]] as const) {
      assert.match(text, new RegExp(`^  ${mspId}  console http://127\\.0\\.0\\.1:${port}/ {3}Swagger http://127\\.0\\.0\\.1:${port}/api$`, 'm'));
      assert.match(text, new RegExp(`^ {6}scientist ${mspId}-s$`, 'm'));
      assert.match(text, new RegExp(`^ {6}auditor {3}${mspId}-x$`, 'm'));
    }
    assert.match(text, /Gateway logs: \/tmp\/logs/);
  });
});
