import { AuditContract } from './contracts/audit-contract';
import { DataContract } from './contracts/data-contract';
import { ConsortiumContract } from './contracts/consortium-contract';
import { FederationContract } from './contracts/federation-contract';
import { IncentiveContract } from './contracts/incentive-contract';
import { ModelContract } from './contracts/model-contract';
import { PrivacyContract } from './contracts/privacy-contract';
import { RoundContract } from './contracts/round-contract';

/** The contracts fabric-contract-api loads from `main` (dist/index.js); the first is the default. */
export const contracts = [
  ConsortiumContract,
  FederationContract,
  RoundContract,
  ModelContract,
  AuditContract,
  DataContract,
  IncentiveContract,
  PrivacyContract,
];
