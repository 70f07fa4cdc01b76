import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One org's certificate material as cryptogen would lay it out: a CA and NodeOU-tagged identities. */
export interface FakeOrgPki {
  mspId: string;
  caCertPath: string;
  /** Identity name (admin, user1, …) → files and NodeOU role. */
  identities: Record<string, { certPath: string; keyPath: string; role: 'admin' | 'client' }>;
  /** The org's peer identity (OU=peer), which signs endorsements. */
  peer: { certPath: string; keyPath: string };
}

/** The peer's TLS material: a TLS CA (what clients trust) and the server certificate it issued. */
export interface FakeTlsPki {
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  /** The name in the server certificate that is not 127.0.0.1 (a client reaches it with `hostAlias`). */
  hostName: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed CA certificate and its key, valid for a day. */
function newCa(dir: string, name: string, subject: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    subject,
  ]);
  return { cert, key };
}

/** A certificate for `subject` issued by `ca`, with the given X.509 v3 extensions. */
function issue(
  dir: string,
  ca: { cert: string; key: string },
  name: string,
  subject: string,
  extensions: string,
): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, extensions);
  openssl(dir, ['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', subject]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '1',
    '-extfile',
    extFile,
  ]);
  return { cert, key };
}

/**
 * An org CA and identities `admin` (OU=admin), `user1` and `user2` (OU=client) and a peer (OU=peer), generated with the
 * openssl CLI into `dir`; subjects follow cryptogen's NodeOU layout.
 */
export function generateOrgPki(dir: string, mspId: string, domain: string): FakeOrgPki {
  const ca = newCa(dir, `${mspId}-ca`, `/C=US/O=${domain}/CN=ca.${domain}`);
  const identity = <R extends string>(name: string, role: R, commonName: string) => {
    const files = issue(
      dir,
      ca,
      `${mspId}-${name}`,
      `/C=US/O=${domain}/OU=${role}/CN=${commonName}`,
      'keyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n',
    );
    return { certPath: files.cert, keyPath: files.key, role };
  };
  return {
    mspId,
    caCertPath: ca.cert,
    identities: {
      admin: identity('admin', 'admin', `Admin@${domain}`),
      user1: identity('user1', 'client', `User1@${domain}`),
      user2: identity('user2', 'client', `User2@${domain}`),
    },
    peer: identity('peer0', 'peer', `peer0.${domain}`),
  };
}

/** A TLS CA and a server certificate for `hostName` and 127.0.0.1. */
export function generateTlsPki(dir: string, hostName: string): FakeTlsPki {
  const ca = newCa(dir, 'tls-ca', `/C=US/O=tls/CN=tlsca.${hostName}`);
  const server = issue(
    dir,
    ca,
    'tls-server',
    `/C=US/O=tls/CN=${hostName}`,
    `subjectAltName=DNS:${hostName},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  return { caCertPath: ca.cert, serverCertPath: server.cert, serverKeyPath: server.key, hostName };
}
