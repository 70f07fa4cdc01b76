import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiKeyStore } from './api-key-store';
import { KEYS_HELP, runKeysCli } from './keys-cli';

const tempFile = (): string =>
  join(mkdtempSync(join(tmpdir(), 'fl-keys-')), 'state', 'api-keys.json');

describe('ApiKeyStore', () => {
  it('creates keys, stores only salted hashes, and authenticates them', () => {
    const path = tempFile();
    const store = new ApiKeyStore(path);
    const { record, apiKey } = store.create('alice', 'admin', new Date('2026-01-02T03:04:05Z'));
    assert.match(apiKey, /^flk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(apiKey.split('_')[2]), 'the secret must not be stored');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(store.authenticate(apiKey), {
      keyId: record.id,
      name: 'alice',
      role: 'admin',
    });
    assert.equal(record.createdAt, '2026-01-02T03:04:05.000Z');
  });

  it('rejects malformed, unknown, tampered and revoked keys', () => {
    const store = new ApiKeyStore(tempFile());
    const { record, apiKey } = store.create('bob', 'scientist');
    assert.equal(store.authenticate('nonsense'), undefined);
    assert.equal(store.authenticate(`flk_${'0'.repeat(16)}_${'A'.repeat(43)}`), undefined);
    const tampered = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    assert.equal(store.authenticate(tampered), undefined);
    store.revoke(record.id);
    assert.equal(store.authenticate(apiKey), undefined);
    assert.ok(store.list()[0]?.revokedAt);
    assert.throws(() => store.revoke('ffffffffffffffff'), /NOT_FOUND/);
  });

  it('validates role and name, and sees changes made by another process', () => {
    const path = tempFile();
    const store = new ApiKeyStore(path);
    assert.throws(() => store.create('x', 'root' as never), /INVALID_ARGUMENT/);
    assert.throws(() => store.create(' ', 'admin'), /INVALID_ARGUMENT/);
    assert.deepEqual(store.list(), []);
    const { apiKey } = new ApiKeyStore(path).create('carol', 'auditor');
    assert.equal(store.authenticate(apiKey)?.role, 'auditor');
    writeFileSync(path, '{"nokeys":true}');
    assert.throws(() => store.list(), /INTERNAL/);
  });
});

describe('keys CLI', () => {
  const run = (
    argv: string[],
    env: Record<string, string> = {},
  ): { code: number; out: string; err: string } => {
    let out = '';
    let err = '';
    const code = runKeysCli(argv, env, {
      out: (text) => (out += text),
      err: (text) => (err += text),
    });
    return { code, out, err };
  };

  it('creates, lists and revokes keys', () => {
    const file = tempFile();
    const created = run([
      'keys',
      'create',
      '--role',
      'admin',
      '--name',
      'alice',
      '--keys-file',
      file,
    ]);
    assert.equal(created.code, 0);
    const { id, role, apiKey } = JSON.parse(created.out) as {
      id: string;
      role: string;
      apiKey: string;
    };
    assert.equal(role, 'admin');
    assert.equal(new ApiKeyStore(file).authenticate(apiKey)?.name, 'alice');
    const listed = run(['keys', 'list'], { FEDLEDGER_API_KEYS_FILE: file });
    assert.equal(listed.code, 0);
    assert.deepEqual(JSON.parse(listed.out), {
      id,
      name: 'alice',
      role: 'admin',
      createdAt: (JSON.parse(listed.out) as { createdAt: string }).createdAt,
      revokedAt: null,
    });
    assert.ok(!listed.out.includes(apiKey));
    const revoked = run(['keys', 'revoke', id, `--keys-file=${file}`]);
    assert.equal(revoked.code, 0);
    assert.equal(new ApiKeyStore(file).authenticate(apiKey), undefined);
  });

  it('prints help and refuses bad usage with exit code 2', () => {
    assert.deepEqual(run(['--help']), { code: 0, out: KEYS_HELP, err: '' });
    assert.equal(run(['keys', 'create', '--help']).code, 0);
    assert.equal(run([]).code, 2);
    assert.equal(run(['keys', 'list']).code, 2);
    const dir = mkdtempSync(join(tmpdir(), 'fl-cli-'));
    assert.equal(
      run(['keys', 'create', '--role', 'god', '--name', 'x'], { FEDLEDGER_STATE_DIR: dir }).code,
      2,
    );
    assert.equal(run(['keys', 'create', '--role', 'admin'], { FEDLEDGER_STATE_DIR: dir }).code, 2);
    assert.equal(run(['keys', 'revoke'], { FEDLEDGER_STATE_DIR: dir }).code, 2);
    assert.equal(run(['keys', 'rotate'], { FEDLEDGER_STATE_DIR: dir }).code, 2);
    const missing = run(['keys', 'revoke', 'abc'], { FEDLEDGER_STATE_DIR: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /NOT_FOUND/);
  });
});
