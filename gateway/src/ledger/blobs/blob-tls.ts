import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import type { MspId } from '@fedledger/core';

/**
 * The TLS side of the blob path (ADR 0022): this org's TLS certificate and key (issued by its
 * Fabric TLS CA, usable as both server and client certificate), and every consortium org's TLS
 * CA certificate by MSP id. A peer on a blob connection is the org whose TLS CA issued its certificate.
 */
export interface BlobTlsMaterial {
  mspId: MspId;
  cert: string;
  key: string;
  /** PEM of each org's TLS CA, by MSP id (this org's included). */
  orgCas: ReadonlyMap<MspId, string>;
}

export interface BlobTlsFiles {
  mspId: MspId;
  certPath: string;
  keyPath: string;
  orgCaPaths: Record<MspId, string>;
}

export function loadBlobTls(files: BlobTlsFiles): BlobTlsMaterial {
  return {
    mspId: files.mspId,
    cert: readFileSync(files.certPath, 'utf8'),
    key: readFileSync(files.keyPath, 'utf8'),
    orgCas: new Map(
      Object.entries(files.orgCaPaths).map(([mspId, path]) => [mspId, readFileSync(path, 'utf8')]),
    ),
  };
}

/**
 * Recognizes the org of a peer certificate Node already verified against the CA list: the org whose
 * TLS CA certificate signed it (checked with the CA's public key, not by name).
 */
export class OrgRecognizer {
  readonly #cas: { mspId: MspId; ca: X509Certificate }[];

  constructor(orgCas: ReadonlyMap<MspId, string>) {
    this.#cas = [...orgCas].map(([mspId, pem]) => ({ mspId, ca: new X509Certificate(pem) }));
  }

  /** PEM list for Node's `ca` option: only these CAs are trusted on blob connections. */
  get caList(): string[] {
    return this.#cas.map((entry) => entry.ca.toString());
  }

  orgOf(certificate: PeerCertificate | X509Certificate | undefined): MspId | undefined {
    if (certificate === undefined) return undefined;
    const x509 =
      certificate instanceof X509Certificate
        ? certificate
        : 'raw' in certificate
          ? new X509Certificate(certificate.raw)
          : undefined;
    if (x509 === undefined) return undefined;
    return this.#cas.find((entry) => x509.checkIssued(entry.ca) && x509.verify(entry.ca.publicKey))
      ?.mspId;
  }
}
