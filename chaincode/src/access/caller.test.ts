import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subjectOrganizationalUnits } from './caller';

test('reads OUs from the subject DN only, handling escaped slashes and several OUs', () => {
  assert.deepEqual(subjectOrganizationalUnits('x509::/C=US/OU=admin/CN=Admin@org1::/C=US/OU=ca/CN=ca.org1'), ['admin']);
  assert.deepEqual(subjectOrganizationalUnits('x509::/OU=client/OU=org1/OU=dept\\/a/CN=u::/CN=ca'), ['client', 'org1', 'dept/a']);
  assert.deepEqual(subjectOrganizationalUnits('x509::/CN=u::/OU=admin/CN=ca'), [], 'an issuer OU does not count');
  assert.deepEqual(subjectOrganizationalUnits('x509::/OU=admin/CN=u'), ['admin']);
  assert.deepEqual(subjectOrganizationalUnits('idemix-user'), []);
});
