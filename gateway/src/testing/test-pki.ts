import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MspId } from '@fedledger/core';
import type { BlobTlsMaterial } from '../ledger/blobs/blob-tls';

/**
 * A throwaway TLS PKI for tests, made with the openssl CLI the way cryptogen lays out an org: one
 * TLS CA per org and one certificate per org for both server and client authentication.
 */
export function testPki(orgs: readonly MspId[]): {
  material: (mspId: MspId, caOrgs?: readonly MspId[]) => BlobTlsMaterial;
  foreign: { cert: string; key: string; ca: string };
} {
  const dir = mkdtempSync(join(tmpdir(), 'fedledger-pki-'));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  writeFileSync(
    join(dir, 'leaf.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  const issue = (name: string): { cert: string; key: string; ca: string } => {
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}-ca.key`);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}-ca.key`,
      '-subj',
      `/O=${name}/CN=tlsca.${name}`,
      '-days',
      '2',
      '-out',
      `${name}-ca.pem`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
    openssl(
      'req',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=Admin@${name}`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${name}-ca.pem`,
      '-CAkey',
      `${name}-ca.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      'leaf.ext',
    );
    const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
    return { cert: read(`${name}.pem`), key: read(`${name}.key`), ca: read(`${name}-ca.pem`) };
  };
  const issued = new Map(orgs.map((mspId) => [mspId, issue(mspId)]));
  return {
    material: (mspId, caOrgs = orgs) => {
      const own = issued.get(mspId);
      if (own === undefined) throw new Error(`no test certificate for ${mspId}`);
      return {
        mspId,
        cert: own.cert,
        key: own.key,
        orgCas: new Map(caOrgs.map((org) => [org, (issued.get(org) as { ca: string }).ca])),
      };
    },
    foreign: issue('Foreign'),
  };
}
