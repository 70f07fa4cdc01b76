import { X509Certificate } from 'node:crypto';
import { FedLedgerError, subjectOrganizationalUnits } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';

/** Who submitted the transaction. */
export interface Caller {
  mspId: string;
  /** `ctx.clientIdentity.getID()`: `x509::<subject DN>::<issuer DN>`. */
  id: string;
  /** NodeOU: the certificate subject carries `OU=admin` (org admin) rather than `OU=client`. */
  isAdmin: boolean;
}

/** The caller of this transaction, with its NodeOU role read from the certificate's subject. */
export function callerOf(ctx: Context): Caller {
  const identity = ctx.clientIdentity;
  const id = identity.getID();
  // On a peer the creator is always a certificate. The id string is only a fallback for the
  // in-memory test identity: it cannot be trusted on a peer because the shim escapes just the first
  // '/' of each DN value, so a CN such as "x/y/OU=admin" reads as an extra OU there.
  const units =
    certificateOrganizationalUnits(identity.getIDBytes()) ?? subjectOrganizationalUnits(id);
  return { mspId: identity.getMSPID(), id, isAdmin: units.includes('admin') };
}

/**
 * The OU values of a PEM certificate's subject, read from the parsed certificate (never from a
 * printed DN); undefined when the bytes are not a PEM certificate.
 */
export function certificateOrganizationalUnits(idBytes: Uint8Array): string[] | undefined {
  const pem = Buffer.from(idBytes).toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    return undefined;
  }
  let subject: Record<string, unknown>;
  try {
    subject = new X509Certificate(pem).toLegacyObject().subject;
  } catch (error) {
    throw new FedLedgerError(
      'UNAUTHENTICATED',
      `the creator certificate cannot be parsed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const units = subject['OU'];
  if (units === undefined) {
    return [];
  }
  return (Array.isArray(units) ? units : [units]).filter(
    (unit): unit is string => typeof unit === 'string',
  );
}
