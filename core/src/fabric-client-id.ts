/**
 * The OU values of the subject DN in a Fabric client id built like the shim's
 * (`x509::/C=US/.../OU=admin/CN=Admin@org1::/C=US/.../CN=ca.org1`, '/' inside values escaped as
 * '\/'). Used for identities that carry no certificate (the in-memory test double), by the chaincode
 * and by the simulator that builds such identities.
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

/** A Fabric-style client id whose subject carries the NodeOU, like cryptogen's certificates. */
export function fabricClientId(
  mspId: string,
  role: 'admin' | 'client',
  commonName = `${role === 'admin' ? 'Admin' : 'User1'}@${mspId}`,
): string {
  return `x509::/C=US/O=${mspId}/OU=${role}/CN=${commonName}::/C=US/O=${mspId}/CN=ca.${mspId}`;
}
