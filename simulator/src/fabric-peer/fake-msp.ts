import { X509Certificate, createHash, verify } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';

/** A caller as the fake peer's MSP check established it. */
export interface VerifiedCaller {
  mspId: string;
  /** NodeOU from the certificate subject: `admin`, or `client` for anything else. */
  role: 'admin' | 'client';
  certificate: X509Certificate;
  /** The serialized identity bytes exactly as the client sent them (Fabric's "creator"). */
  creator: Uint8Array;
}

/** Why a request was refused by the MSP check (the peer answers these as permission errors). */
export class AccessDenied extends Error {}

/**
 * The channel's MSPs as far as the fake peer models them: each MSP id trusts one root CA. A caller
 * is accepted when its certificate was issued by that CA and it signed the request bytes.
 */
export class FakeMspRegistry {
  readonly #roots = new Map<string, X509Certificate>();

  constructor(roots: Record<string, string | Buffer>) {
    for (const [mspId, pem] of Object.entries(roots)) {
      this.#roots.set(mspId, new X509Certificate(pem));
    }
  }

  /** Decodes a SerializedIdentity and checks that its MSP's CA issued the certificate. */
  identify(creator: Uint8Array): VerifiedCaller {
    const identity = msp.SerializedIdentity.deserializeBinary(creator);
    const mspId = identity.getMspid();
    const root = this.#roots.get(mspId);
    if (!root) throw new AccessDenied(`MSP ${mspId} is not a member of the channel`);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(Buffer.from(identity.getIdBytes_asU8()));
    } catch (error) {
      throw new AccessDenied(
        `the identity of ${mspId} is not an X.509 certificate (${(error as Error).message})`,
      );
    }
    if (!certificate.checkIssued(root) || !certificate.verify(root.publicKey)) {
      throw new AccessDenied(
        `the certificate ${certificate.subject.replace(/\n/g, ',')} was not issued by the CA of ${mspId}`,
      );
    }
    const units = certificate.subject
      .split('\n')
      .filter((line) => line.startsWith('OU='))
      .map((line) => line.slice(3));
    return { mspId, role: units.includes('admin') ? 'admin' : 'client', certificate, creator };
  }

  /** {@link identify}, then checks `signature` over `message` (ECDSA over SHA-256, DER) with the certificate's key. */
  verifySigned(creator: Uint8Array, message: Uint8Array, signature: Uint8Array): VerifiedCaller {
    const caller = this.identify(creator);
    if (
      signature.length === 0 ||
      !verify('sha256', message, caller.certificate.publicKey, signature)
    ) {
      throw new AccessDenied(
        `the signature of ${caller.mspId} does not verify against its certificate`,
      );
    }
    return caller;
  }
}

/** Fabric's transaction id: hex SHA-256 of nonce ‖ creator. */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}
