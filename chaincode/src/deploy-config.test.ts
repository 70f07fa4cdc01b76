import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MEMBER_COLLECTION } from '@fedledger/core';
import { renderDeployConfig } from './deploy-config';

const SCRIPT = path.join(__dirname, '..', 'deploy', 'render-deploy-config.js');

test('three member orgs: majority of two endorses; weights go to the two other member peers', () => {
  assert.deepEqual(renderDeployConfig(['Org1MSP', 'Org2MSP', 'Org3MSP']), {
    collectionsConfig: [
      {
        name: MEMBER_COLLECTION,
        policy: "OR('Org1MSP.member','Org2MSP.member','Org3MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 2,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
      },
    ],
    endorsementPolicy: "OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')",
  });
  assert.equal(
    renderDeployConfig(['A', 'B', 'C', 'D']).endorsementPolicy,
    "OutOf(3,'A.peer','B.peer','C.peer','D.peer')",
  );
  assert.equal(renderDeployConfig(['A']).collectionsConfig[0]?.maxPeerCount, 0);
});

test('rejects empty, malformed and duplicate org lists', () => {
  assert.throws(() => renderDeployConfig([]), /at least one/);
  assert.throws(() => renderDeployConfig(["Org1MSP'"]), /not an MSP id/);
  assert.throws(() => renderDeployConfig(['A', 'A']), /listed twice/);
});

test('the CLI prints the config, or writes both files and prints the policy', () => {
  const printed = JSON.parse(
    execFileSync(process.execPath, [SCRIPT, '--member-orgs', 'Org1MSP,Org2MSP'], {
      encoding: 'utf8',
    }),
  ) as unknown;
  assert.deepEqual(printed, renderDeployConfig(['Org1MSP', 'Org2MSP']));
  const dir = mkdtempSync(path.join(tmpdir(), 'fedledger-deploy-'));
  try {
    const policy = execFileSync(
      process.execPath,
      [SCRIPT, '--member-orgs', 'Org1MSP,Org2MSP,Org3MSP', '--out', dir],
      { encoding: 'utf8' },
    );
    assert.equal(policy, "OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')\n");
    assert.equal(readFileSync(path.join(dir, 'endorsement-policy.txt'), 'utf8'), policy);
    const collections = JSON.parse(
      readFileSync(path.join(dir, 'collections-config.json'), 'utf8'),
    ) as unknown;
    assert.deepEqual(
      collections,
      renderDeployConfig(['Org1MSP', 'Org2MSP', 'Org3MSP']).collectionsConfig,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  assert.equal(failed.status, 2);
  assert.match(failed.stderr, /--member-orgs is required/);
});
