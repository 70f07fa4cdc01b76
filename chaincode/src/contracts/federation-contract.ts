import {
  CONTRACT,
  DEFAULT_MAX_UPDATE_BYTES,
  EVENT,
  FedLedgerError,
  TRANSIENT,
  assertFinite,
  canonicalJson,
  decodeFlat,
  paramCount,
  consortiumPreprocessing,
  sha256Hex,
  type FederationSpec,
  type Page,
  type Federation,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import {
  memberOrgs,
  requireReader,
  requireWriter,
  requireWriterAdmin,
} from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { emitEvent } from '../ledger/events';
import {
  federationView,
  loadFederation,
  loadParticipants,
  requireStatus,
  roundKey,
} from '../ledger/federation-state';
import { digested, type DigestedBytes } from '../ledger/blob-store';
import { publishModelVersion } from '../ledger/model-publisher';
import { findRecord, pageRecords, putRecord } from '../ledger/store';
import { requireTransient, requireWithinLimit } from '../ledger/transient';
import { txId, txTime, txTimeMs } from '../ledger/tx';
import { federationRecord, type FederationRecord } from '../state/federation';
import { KEY, key } from '../state/keys';
import { participantRecord } from '../state/participant';
import { roundRecord } from '../state/round';
import { parseId, parseJson, parsePageSize, parseText } from '../validation/arguments';
import { FieldReader } from '../validation/field-reader';
import { participantProfiles, requireDataProfile } from './data-contract';
import { SPEC_LIMITS, readFederationSpec } from '../validation/federation-spec';
import { requireMaskingKeys } from '../ledger/masking-keys';
import { checkTrimmedMeanTrims } from '../validation/strategy-safety';

/** Federations (training jobs): creation with the initial model, invitations, start, cancellation. */
@Info({ title: 'fedledger federation', description: 'Federated training jobs' })
export class FederationContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.federation);
  }

  /** Creates a federation; the initial weights (transient `initialWeights`) become model version 0. */
  @Transaction()
  @Returns('string')
  async CreateFederation(ctx: FedLedgerContext, specJson: string): Promise<string> {
    const reader = new FieldReader(parseJson(specJson, 'specJson'), 'spec', 'INVALID_ARGUMENT');
    const spec = readFederationSpec(reader);
    reader.done();
    checkTopologyIsJson(spec);
    if (spec.dataSchema !== undefined && spec.featureScaling !== undefined) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        "spec.featureScaling must be absent with a dataSchema: it is computed at start from the participants' data profiles",
      );
    }
    checkStrategyCanAggregate(spec);
    checkTrimmedMeanTrims(spec);
    const { caller, consortium } = await requireWriterAdmin(ctx, 'CreateFederation');
    checkTopologyHash(spec);
    checkInvitations(spec, caller.mspId, memberOrgs(consortium));
    const federationKey = key(ctx, KEY.federation, spec.id);
    if (await findRecord(ctx, federationRecord, federationKey)) {
      throw new FedLedgerError('ALREADY_EXISTS', `federation ${spec.id} already exists`);
    }
    const maxUpdateBytes = spec.maxUpdateBytes ?? DEFAULT_MAX_UPDATE_BYTES;
    const { shapes, initialModel } = readInitialModel(ctx, spec, maxUpdateBytes);
    const modelHash = spec.initialBlob?.digest ?? (initialModel as DigestedBytes).digest;
    const now = txTime(ctx);
    const record: FederationRecord = {
      ...spec,
      weightsPath: spec.weightsPath ?? 'private-data',
      maxUpdateBytes,
      creatorMsp: caller.mspId,
      status: 'pending',
      currentRound: 0,
      weightShapes: shapes,
      paramCount: paramCount(shapes),
      initialModelHash: modelHash,
      createdAt: now,
      txId: txId(ctx),
    };
    await putRecord(ctx, federationRecord, federationKey, record);
    await putRecord(ctx, participantRecord, key(ctx, KEY.participant, spec.id, caller.mspId), {
      federationId: spec.id,
      mspId: caller.mspId,
      acceptedBy: caller.id,
      acceptedAt: now,
      txId: txId(ctx),
    });
    await publishModelVersion(
      ctx,
      {
        federationId: spec.id,
        version: 0,
        round: 0,
        modelHash,
        parentHash: null,
        strategy: spec.strategy,
        contributors: [],
        paramCount: record.paramCount,
        weightShapes: shapes,
        ...(initialModel === undefined ? { servedBy: [caller.mspId] } : {}),
        createdAt: now,
        txId: txId(ctx),
      },
      initialModel,
    );
    await appendAudit(ctx, caller, {
      action: 'CreateFederation',
      target: `federation/${spec.id}`,
      federationId: spec.id,
      details: { invitedOrgs: spec.invitedOrgs, modelHash },
    });
    emitEvent(ctx, EVENT.FederationCreated, {
      federationId: spec.id,
      creatorMsp: caller.mspId,
      invitedOrgs: spec.invitedOrgs,
      modelHash,
    });
    return canonicalJson(federationView({ record, participants: [caller.mspId] }));
  }

  /** The caller's org (an invited org; admin identity) joins a pending federation. */
  @Transaction()
  @Returns('string')
  async AcceptInvitation(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const { caller } = await requireWriterAdmin(ctx, 'AcceptInvitation');
    const federation = await loadFederation(ctx, id);
    if (!federation.record.invitedOrgs.includes(caller.mspId)) {
      throw new FedLedgerError('FORBIDDEN', `${caller.mspId} is not invited to federation ${id}`);
    }
    if (federation.participants.includes(caller.mspId)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already accepted federation ${id}`,
      );
    }
    requireStatus(federation, ['pending'], 'AcceptInvitation');
    if (federation.record.dataSchema !== undefined) await requireDataProfile(ctx, id, caller.mspId);
    // Only this org's participant key is written, so acceptances by different orgs never conflict.
    await putRecord(ctx, participantRecord, key(ctx, KEY.participant, id, caller.mspId), {
      federationId: id,
      mspId: caller.mspId,
      acceptedBy: caller.id,
      acceptedAt: txTime(ctx),
      txId: txId(ctx),
    });
    await appendAudit(ctx, caller, {
      action: 'AcceptInvitation',
      target: `federation/${id}`,
      federationId: id,
    });
    emitEvent(ctx, EVENT.InvitationAccepted, { federationId: id, mspId: caller.mspId });
    const participants = [...federation.participants, caller.mspId].sort();
    return canonicalJson(federationView({ record: federation.record, participants }));
  }

  /** The creator's org starts training once at least `minParticipants` orgs accepted; opens round 1. */
  @Transaction()
  @Returns('string')
  async StartFederation(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    if (federation.record.creatorMsp !== caller.mspId) {
      throw new FedLedgerError(
        'FORBIDDEN',
        `only the creator org ${federation.record.creatorMsp} may start federation ${id}`,
      );
    }
    requireStatus(federation, ['pending'], 'StartFederation');
    await requireMaskingKeys(ctx, federation);
    const { participants } = federation;
    if (participants.length < federation.record.minParticipants) {
      throw new FedLedgerError(
        'QUORUM_NOT_MET',
        `federation ${id} needs ${federation.record.minParticipants} participants to start; ${participants.length} accepted (${participants.join(', ')})`,
      );
    }
    const now = txTime(ctx);
    const deadline = new Date(
      txTimeMs(ctx) + federation.record.roundDeadlineSeconds * 1000,
    ).toISOString();
    const record: FederationRecord = {
      ...federation.record,
      status: 'running',
      currentRound: 1,
      startedAt: now,
    };
    if (record.dataSchema !== undefined) {
      // The one preprocessing every participant applies, from all of their profiles (ADR 13).
      const { imputation, featureScaling } = consortiumPreprocessing(
        record.dataSchema,
        await participantProfiles(ctx, id, participants),
      );
      record.imputation = imputation;
      record.featureScaling = featureScaling;
    }
    await putRecord(ctx, federationRecord, key(ctx, KEY.federation, id), record);
    await putRecord(ctx, roundRecord, roundKey(ctx, id, 1), {
      federationId: id,
      round: 1,
      status: 'open',
      openedAt: now,
      deadline,
    });
    await appendAudit(ctx, caller, {
      action: 'StartFederation',
      target: `federation/${id}`,
      federationId: id,
      details: { participants, round: 1, deadline },
    });
    emitEvent(ctx, EVENT.RoundOpened, { federationId: id, round: 1, deadline, participants });
    return canonicalJson(federationView({ record, participants }));
  }

  /** The creator org's admin stops a pending or running federation. */
  @Transaction()
  @Returns('string')
  async CancelFederation(
    ctx: FedLedgerContext,
    federationId: string,
    reason: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const why = parseText(reason, 'reason', 1000);
    const { caller } = await requireWriterAdmin(ctx, 'CancelFederation');
    const federation = await loadFederation(ctx, id);
    if (federation.record.creatorMsp !== caller.mspId) {
      throw new FedLedgerError(
        'FORBIDDEN',
        `only the creator org ${federation.record.creatorMsp} may cancel federation ${id}`,
      );
    }
    requireStatus(federation, ['pending', 'running'], 'CancelFederation');
    const record: FederationRecord = {
      ...federation.record,
      status: 'cancelled',
      endedAt: txTime(ctx),
      cancelReason: why,
    };
    await putRecord(ctx, federationRecord, key(ctx, KEY.federation, id), record);
    await appendAudit(ctx, caller, {
      action: 'CancelFederation',
      target: `federation/${id}`,
      federationId: id,
      details: { reason: why },
    });
    emitEvent(ctx, EVENT.FederationCancelled, { federationId: id, reason: why });
    return canonicalJson(federationView({ record, participants: federation.participants }));
  }

  @Transaction(false)
  @Returns('string')
  async GetFederation(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    return canonicalJson(federationView(await loadFederation(ctx, id)));
  }

  /** One page of federations in id order; pass the returned bookmark to get the next page. */
  @Transaction(false)
  @Returns('string')
  async ListFederations(
    ctx: FedLedgerContext,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const size = parsePageSize(pageSize);
    await requireReader(ctx);
    const page = await pageRecords(ctx, federationRecord, KEY.federation, [], size, bookmark);
    const items: Federation[] = [];
    for (const record of page.items) {
      items.push(federationView({ record, participants: await loadParticipants(ctx, record.id) }));
    }
    const result: Page<Federation> = { items, bookmark: page.bookmark };
    return canonicalJson(result);
  }
}

/**
 * Tensor count and rank are bounded: the shapes are stored in the federation record, which every
 * transaction reads, and a payload of millions of empty tensors would otherwise bloat it.
 */
/**
 * The initial model: from the transient map (private-data path, stored privately as version 0), or
 * on the blob path its shapes from `spec.initialBlob` and no bytes at all (the creator org's gateway
 * serves them; ADR 0022), in which case the transient map must not carry weights.
 */
function readInitialModel(
  ctx: FedLedgerContext,
  spec: FederationSpec,
  maxUpdateBytes: number,
): { shapes: number[][]; initialModel?: DigestedBytes } {
  if (spec.initialBlob !== undefined) {
    if ((ctx.stub.getTransient().get(TRANSIENT.initialWeights)?.length ?? 0) > 0) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        'a blob-path federation (spec.initialBlob) takes no transient initialWeights: its creator org serves the bytes and the ledger keeps the digest',
      );
    }
    checkShapeLimits(spec.initialBlob.weightShapes);
    return { shapes: spec.initialBlob.weightShapes };
  }
  const weights = requireTransient(ctx, TRANSIENT.initialWeights);
  requireWithinLimit(weights, maxUpdateBytes, 'initialWeights');
  const { shapes, flat } = decodeFlat(weights);
  if (flat.length === 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'initialWeights hold no values; a model needs at least one parameter',
    );
  }
  checkShapeLimits(shapes);
  assertFinite(flat, 'initialWeights');
  return { shapes, initialModel: digested(weights) };
}

function checkShapeLimits(shapes: number[][]): void {
  if (shapes.length > SPEC_LIMITS.tensors) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `initialWeights hold ${shapes.length} tensors; at most ${SPEC_LIMITS.tensors} are allowed`,
    );
  }
  const deep = shapes.findIndex((shape) => shape.length > SPEC_LIMITS.tensorRank);
  if (deep >= 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `initialWeights tensor ${deep} has rank ${shapes[deep].length}; at most ${SPEC_LIMITS.tensorRank} is allowed`,
    );
  }
}

/** The topology is what tfjs `model.toJSON()` returns: JSON object text. Checked once, at creation. */
function checkTopologyIsJson(spec: FederationSpec): void {
  const topology = parseJson(spec.modelSpec.topology, 'spec.modelSpec.topology');
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'spec.modelSpec.topology must be JSON object text (what tfjs model.toJSON() returns)',
    );
  }
}

/**
 * Krum needs n ≥ 2f + 3 updates and Multi-Krum m ≤ n. Aggregation may run with as few as
 * `minParticipants` updates, so a smaller `minParticipants` would let rounds fail (or, when even
 * every invited org is too few, make the federation unable ever to aggregate).
 */
function checkStrategyCanAggregate(spec: FederationSpec): void {
  const { name, params } = spec.strategy;
  if (name !== 'krum' && name !== 'multi-krum') {
    return;
  }
  const f = params?.['f'] ?? 0;
  if (spec.minParticipants < 2 * f + 3) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `spec.minParticipants must be at least 2f + 3 = ${2 * f + 3} for ${name} with f = ${f}, got ${spec.minParticipants}`,
    );
  }
  const m = params?.['m'];
  if (m !== undefined && m > spec.minParticipants) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `spec.strategy.params.m = ${m} selects more updates than minParticipants (${spec.minParticipants}) guarantees`,
    );
  }
}

function checkTopologyHash(spec: FederationSpec): void {
  const actual = sha256Hex(spec.modelSpec.topology);
  if (actual !== spec.modelSpec.topologyHash) {
    throw new FedLedgerError(
      'DIGEST_MISMATCH',
      `spec.modelSpec.topologyHash is ${spec.modelSpec.topologyHash} but SHA-256 of the topology is ${actual}`,
    );
  }
}

function checkInvitations(spec: FederationSpec, creatorMsp: string, members: string[]): void {
  if (spec.invitedOrgs.includes(creatorMsp)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `spec.invitedOrgs must not list the creator's own org ${creatorMsp}; it participates automatically`,
    );
  }
  const outsiders = spec.invitedOrgs.filter((msp) => !members.includes(msp));
  if (outsiders.length > 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `spec.invitedOrgs may only list member orgs (${members.join(', ')}); not members: ${outsiders.join(', ')}`,
    );
  }
}
