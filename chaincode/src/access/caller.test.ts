import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FedLedgerError } from '@fedledger/core';
import { subjectOrganizationalUnits } from '@fedledger/core';
import { certificateOrganizationalUnits } from './caller';

const fixture = (name: string): Buffer =>
  readFileSync(path.join(__dirname, '..', '..', 'test-fixtures', name));

test('reads OUs from the subject DN only, handling escaped slashes and several OUs', () => {
  assert.deepEqual(
    subjectOrganizationalUnits('x509::/C=US/OU=admin/CN=Admin@org1::/C=US/OU=ca/CN=ca.org1'),
    ['admin'],
  );
  assert.deepEqual(
    subjectOrganizationalUnits('x509::/OU=client/OU=org1/OU=dept\\/a/CN=u::/CN=ca'),
    ['client', 'org1', 'dept/a'],
  );
  assert.deepEqual(
    subjectOrganizationalUnits('x509::/CN=u::/OU=admin/CN=ca'),
    [],
    'an issuer OU does not count',
  );
  assert.deepEqual(subjectOrganizationalUnits('x509::/OU=admin/CN=u'), ['admin']);
  assert.deepEqual(subjectOrganizationalUnits('idemix-user'), []);
});

test('certificate OUs come from the parsed certificate, so a CN that spells "/OU=admin" adds nothing', () => {
  assert.deepEqual(certificateOrganizationalUnits(fixture('org1-admin-cert.pem')), ['admin']);
  assert.deepEqual(certificateOrganizationalUnits(fixture('org1-client-cert.pem')), ['client']);
  // Subject OU=client, CN="mallory/x/OU=admin": the shim's id reads it as x509::/…/OU=client/CN=mallory\/x/OU=admin.
  assert.deepEqual(certificateOrganizationalUnits(fixture('org1-client-slashed-cn-cert.pem')), [
    'client',
  ]);
  assert.equal(
    certificateOrganizationalUnits(new TextEncoder().encode('x509::/OU=admin/CN=u::/CN=ca')),
    undefined,
  );
  assert.throws(
    () =>
      certificateOrganizationalUnits(
        new TextEncoder().encode(
          '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n',
        ),
      ),
    (error: unknown) => error instanceof FedLedgerError && error.code === 'UNAUTHENTICATED',
  );
});
