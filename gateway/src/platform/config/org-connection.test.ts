import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error';
import { loadOrgConnection, parseOrgConnection } from './org-connection';

const valid = {
  mspId: 'Org2MSP',
  peer: { endpoint: '127.0.0.1:9051', tlsCaCertPath: '/ca.pem' },
  identities: {
    Admin: { certPath: '/a.pem', keyPath: '/a.key', role: 'admin' },
    User1: { certPath: 'u.pem', keyPath: 'u.key', role: 'client' },
  },
};

function rejects(json: unknown, key: string): void {
  assert.throws(
    () => parseOrgConnection(json, '/base'),
    (error: unknown) => error instanceof ConfigError && error.key === key,
  );
}

describe('org connection file', () => {
  it('parses a valid file and resolves relative paths against its directory', () => {
    const parsed = parseOrgConnection(valid, '/base');
    assert.equal(parsed.mspId, 'Org2MSP');
    assert.equal(parsed.peer.hostAlias, undefined);
    assert.deepEqual(parsed.identities['User1'], {
      certPath: '/base/u.pem',
      keyPath: '/base/u.key',
      role: 'client',
    });
    assert.equal(parsed.channel, undefined);
  });

  it('names the first bad field', () => {
    rejects([], '$');
    rejects({ ...valid, mspId: '' }, 'mspId');
    rejects({ ...valid, peer: 'x' }, 'peer');
    rejects({ ...valid, peer: { tlsCaCertPath: '/ca' } }, 'peer.endpoint');
    rejects({ ...valid, peer: { endpoint: 'e' } }, 'peer.tlsCaCertPath');
    rejects({ ...valid, peer: { ...valid.peer, hostAlias: 3 } }, 'peer.hostAlias');
    rejects({ ...valid, identities: {} }, 'identities');
    rejects(
      { ...valid, identities: { Admin: { certPath: '/a', keyPath: '/k', role: 'root' } } },
      'identities.Admin.role',
    );
    rejects(
      { ...valid, identities: { Admin: { keyPath: '/k', role: 'admin' } } },
      'identities.Admin.certPath',
    );
    rejects({ ...valid, identities: { Admin: 'x' } }, 'identities.Admin');
    rejects({ ...valid, channel: '' }, 'channel');
  });

  it('reports unreadable and non-JSON files under FEDLEDGER_ORG_CONNECTION', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-conn-'));
    assert.throws(
      () => loadOrgConnection(join(dir, 'absent.json')),
      (error: unknown) => error instanceof ConfigError && error.key === 'FEDLEDGER_ORG_CONNECTION',
    );
    writeFileSync(join(dir, 'bad.json'), '{');
    assert.throws(() => loadOrgConnection(join(dir, 'bad.json')), /is not valid JSON/);
  });
});
