import { MEMBER_COLLECTION } from '@fedledger/core';
import { MSP_ID_PATTERN } from './validation/arguments';

/** One entry of Fabric's `--collections-config` file. */
export interface CollectionConfig {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
}

/** Everything `peer lifecycle chaincode approveformyorg/commit` needs from the chaincode side. */
export interface DeployConfig {
  collectionsConfig: CollectionConfig[];
  /** Chaincode endorsement policy (`--signature-policy`). */
  endorsementPolicy: string;
}

/**
 * Renders the private-data collection and the endorsement policy for these member orgs.
 * The collection is readable and writable by member orgs only (never the auditor), is disseminated
 * to every other member peer but not required at endorsement, and is never purged. A majority of
 * member orgs' peers must endorse, so no minority can forge an aggregate; the auditor's peer holds
 * no weights and therefore cannot re-run aggregation, so it is not an endorser.
 */
export function renderDeployConfig(memberOrgs: readonly string[]): DeployConfig {
  const orgs = validateMemberOrgs(memberOrgs);
  const majority = Math.floor(orgs.length / 2) + 1;
  return {
    collectionsConfig: [
      {
        name: MEMBER_COLLECTION,
        policy: `OR(${orgs.map((msp) => `'${msp}.member'`).join(',')})`,
        requiredPeerCount: 0,
        maxPeerCount: orgs.length - 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
      },
    ],
    endorsementPolicy: `OutOf(${majority},${orgs.map((msp) => `'${msp}.peer'`).join(',')})`,
  };
}

function validateMemberOrgs(memberOrgs: readonly string[]): string[] {
  if (memberOrgs.length === 0) {
    throw new Error(
      'at least one member org is needed, e.g. --member-orgs Org1MSP,Org2MSP,Org3MSP',
    );
  }
  for (const msp of memberOrgs) {
    if (!MSP_ID_PATTERN.test(msp)) {
      throw new Error(`${JSON.stringify(msp)} is not an MSP id (letters, digits, '.', '_', '-')`);
    }
  }
  const duplicate = memberOrgs.find((msp, i) => memberOrgs.indexOf(msp) !== i);
  if (duplicate !== undefined) {
    throw new Error(`${duplicate} is listed twice`);
  }
  return [...memberOrgs];
}
