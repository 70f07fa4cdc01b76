import type { Context } from 'fabric-contract-api';

/** Who submitted the transaction. */
export interface Caller {
  mspId: string;
  /** `ctx.clientIdentity.getID()`: `x509::<subject DN>::<issuer DN>`. */
  id: string;
  /** NodeOU: the certificate subject carries `OU=admin` (org admin) rather than `OU=client`. */
  isAdmin: boolean;
}

/** The caller of this transaction, with its NodeOU role read from the certificate subject. */
export function callerOf(ctx: Context): Caller {
  const id = ctx.clientIdentity.getID();
  return { mspId: ctx.clientIdentity.getMSPID(), id, isAdmin: subjectOrganizationalUnits(id).includes('admin') };
}

/**
 * The OU values of the subject DN in a Fabric client id. The shim builds the id from the
 * certificate as `x509::/C=US/.../OU=admin/CN=Admin@org1::/C=US/.../CN=ca.org1`, escaping '/'
 * inside values as '\/', so the subject is the part before the issuer separator.
 */
export function subjectOrganizationalUnits(id: string): string[] {
  if (!id.startsWith('x509::')) {
    return [];
  }
  const rest = id.slice('x509::'.length);
  const issuerAt = rest.lastIndexOf('::');
  const subject = issuerAt >= 0 ? rest.slice(0, issuerAt) : rest;
  return subject
    .split(/(?<!\\)\//)
    .filter((attribute) => attribute.startsWith('OU='))
    .map((attribute) => attribute.slice('OU='.length).replace(/\\\//g, '/'));
}
