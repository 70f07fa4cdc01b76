import type { ClientIdentity } from 'fabric-shim-api';
import { fabricClientId, subjectOrganizationalUnits } from '@fedledger/core';

/** NodeOU role of a Fabric identity: `admin` certificates administer their org, `client` ones do not. */
export type NodeRole = 'admin' | 'client';

/** Who calls the in-process ledger: MSP id, NodeOU role and optionally the exact Fabric client id. */
export interface TestIdentity {
  mspId: string;
  role: NodeRole;
  /** `x509::<subject>::<issuer>`; its subject must carry `/OU=<role>`. Built from mspId and role when omitted. */
  id?: string;
}

/** The identity with its id filled in; throws when a given id's OU contradicts the role. */
export function resolveIdentity(identity: TestIdentity): Required<TestIdentity> {
  const id = identity.id ?? fabricClientId(identity.mspId, identity.role);
  const units = subjectOrganizationalUnits(id);
  if (!units.includes(identity.role) || (identity.role === 'client' && units.includes('admin'))) {
    throw new Error(
      `identity id ${id} must carry /OU=${identity.role} in its subject (the chaincode reads the NodeOU from it); omit id to have one built`,
    );
  }
  return { mspId: identity.mspId, role: identity.role, id };
}

/** `ctx.clientIdentity` for the in-memory stub: the id string plays the certificate's part. */
export class MemoryClientIdentity implements ClientIdentity {
  readonly #identity: Required<TestIdentity>;

  constructor(identity: TestIdentity) {
    this.#identity = resolveIdentity(identity);
  }

  assertAttributeValue(): boolean {
    return false;
  }

  getAttributeValue(): string | null {
    return null;
  }

  getID(): string {
    return this.#identity.id;
  }

  getIDBytes(): Uint8Array {
    return new TextEncoder().encode(this.#identity.id);
  }

  getMSPID(): string {
    return this.#identity.mspId;
  }
}
