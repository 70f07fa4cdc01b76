import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatKeepInstructions } from './console-summary';

describe('formatKeepInstructions', () => {
  it('prints each gateway’s web console URL, its Swagger URL and the keys to log in with', () => {
    const endpoint = (mspId: string, port: number) => ({
      mspId,
      baseUrl: `http://127.0.0.1:${port}`,
      keys: { admin: `${mspId}-a`, scientist: `${mspId}-s`, auditor: `${mspId}-x` },
    });
    const text = formatKeepInstructions({
      ledger: 'fabric',
      hospitals: [endpoint('Org1MSP', 4001), endpoint('Org2MSP', 4002)],
      auditor: endpoint('AuditorMSP', 4009),
      logDir: '/tmp/logs',
    });
    for (const [mspId, port] of [
      ['Org1MSP', 4001],
      ['Org2MSP', 4002],
      ['AuditorMSP', 4009],
    ] as const) {
      assert.match(
        text,
        new RegExp(
          `^  ${mspId}  console http://127\\.0\\.0\\.1:${port}/ {3}Swagger http://127\\.0\\.0\\.1:${port}/api$`,
          'm',
        ),
      );
      assert.match(text, new RegExp(`^ {6}scientist ${mspId}-s$`, 'm'));
      assert.match(text, new RegExp(`^ {6}auditor {3}${mspId}-x$`, 'm'));
    }
    assert.match(text, /Gateway logs: \/tmp\/logs/);
  });

  it('names every gateway’s data directory, where CSV files to register go', () => {
    const endpoint = (mspId: string, port: number) => ({
      mspId,
      baseUrl: `http://127.0.0.1:${port}`,
      keys: { admin: 'a', scientist: 's', auditor: 'u' },
      dataDir: `/tmp/run/${mspId}/data`,
    });
    const text = formatKeepInstructions({
      ledger: 'in-process',
      hospitals: [endpoint('Org1MSP', 3001)],
      auditor: endpoint('AuditorMSP', 3002),
      logDir: '/tmp/run/logs',
    });
    assert.match(
      text,
      /Org1MSP {2}console http:\/\/127\.0\.0\.1:3001\/ {3}Swagger http:\/\/127\.0\.0\.1:3001\/api\n {6}data dir {2}\/tmp\/run\/Org1MSP\/data {2}\(CSV files to register with POST \/datasets go here\)/,
    );
    assert.match(text, /data dir {2}\/tmp\/run\/AuditorMSP\/data/);
  });
});
