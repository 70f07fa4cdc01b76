import { sha256Hex } from '@fedledger/core';
import {
  GatewayRequestError,
  type AuditEntryInfo,
  type GatewayClient,
  type ModelVersionInfo,
  type VerificationInfo,
} from './gateway-client';

export interface LineageEntry {
  version: number;
  round: number;
  modelHash: string;
  parentHash: string | null;
  createdAt: string;
  txId: string;
  contributors: Array<{
    mspId: string;
    numSamples: number;
    weight: number;
    accepted: boolean;
    digest: string;
  }>;
  /** Each hospital's own validation accuracy, as it recorded it on the ledger. */
  evaluations: Array<{ mspId: string; numSamples: number; accuracy: number | null }>;
}

export interface AuditView {
  lineage: LineageEntry[];
  /** Every version's parentHash is the previous version's modelHash. */
  lineageIntact: boolean;
  finalModel: {
    version: number;
    ledgerHash: string;
    downloadedFrom: string;
    fileSha256: string;
    fileBytes: number;
    verification: VerificationInfo;
  };
  verifiedByAuditor: boolean;
  /** What the auditor's own gateway answers when asked for model weights (the auditor must not get them). */
  auditorWeightsAccess: string;
  timeline: AuditEntryInfo[];
}

/**
 * The auditor's side of the story, all through the auditor org's gateway: the model lineage with
 * hashes, the federation's timeline, and verification of the final model file that a hospital
 * gateway served (the auditor itself cannot read weights).
 */
export async function collectAuditView(
  auditor: GatewayClient,
  hospital: GatewayClient,
  federationId: string,
  finalVersion: number,
): Promise<AuditView> {
  const versions = (await auditor.listModels(federationId, 'auditor')).sort(
    (a, b) => a.version - b.version,
  );
  const lineage = versions.map(toLineageEntry);
  const lineageIntact = lineage.every((entry, i) =>
    i === 0 ? entry.parentHash === null : entry.parentHash === lineage[i - 1].modelHash,
  );
  const final = versions.find((v) => v.version === finalVersion);
  if (final === undefined)
    throw new Error(
      `the auditor's gateway does not list version ${finalVersion} of ${federationId}`,
    );
  const file = await hospital.downloadWeights(federationId, finalVersion);
  const verification = await auditor.verifyModelFile(file, 'auditor');
  const fileSha256 = sha256Hex(file);
  const verifiedByAuditor =
    verification.found &&
    verification.federationId === federationId &&
    verification.version === finalVersion &&
    verification.modelHash === final.modelHash &&
    fileSha256 === final.modelHash;
  let auditorWeightsAccess: string;
  try {
    await auditor.downloadWeights(federationId, finalVersion);
    auditorWeightsAccess = 'ALLOWED (unexpected: auditors must not read weights)';
  } catch (error) {
    auditorWeightsAccess =
      error instanceof GatewayRequestError
        ? `denied (${error.status} ${error.code})`
        : `failed (${String(error)})`;
  }
  return {
    lineage,
    lineageIntact,
    finalModel: {
      version: finalVersion,
      ledgerHash: final.modelHash,
      downloadedFrom: hospital.mspId,
      fileSha256,
      fileBytes: file.length,
      verification,
    },
    verifiedByAuditor,
    auditorWeightsAccess,
    timeline: await auditor.timeline(federationId, 'auditor'),
  };
}

function toLineageEntry(version: ModelVersionInfo): LineageEntry {
  return {
    version: version.version,
    round: version.round,
    modelHash: version.modelHash,
    parentHash: version.parentHash,
    createdAt: version.createdAt,
    txId: version.txId,
    contributors: version.contributors.map(({ mspId, numSamples, weight, accepted, digest }) => ({
      mspId,
      numSamples,
      weight,
      accepted,
      digest,
    })),
    evaluations: version.evaluations
      .map(({ mspId, numSamples, metrics }) => ({
        mspId,
        numSamples,
        accuracy: metrics['accuracy'] ?? null,
      }))
      .sort((a, b) => a.mspId.localeCompare(b.mspId)),
  };
}
