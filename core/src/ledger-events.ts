import { PRIVACY_EVENT } from './privacy/privacy-ledger';
import type { ConsortiumMember, MspId, OrgRole, RoleChangeProposal } from './types';

/**
 * Chaincode events. Fabric keeps one event per transaction, so each transaction emits exactly one,
 * and `RoundAggregated` also announces the next round (`nextRound`) instead of a second event.
 */
export const EVENT = {
  ConsortiumInitialized: 'ConsortiumInitialized',
  RoleChangeProposed: 'RoleChangeProposed',
  RoleChangeApproved: 'RoleChangeApproved',
  FederationCreated: 'FederationCreated',
  InvitationAccepted: 'InvitationAccepted',
  RoundOpened: 'RoundOpened',
  FederationCancelled: 'FederationCancelled',
  UpdateSubmitted: 'UpdateSubmitted',
  RoundAggregated: 'RoundAggregated',
  AggregateAttested: 'AggregateAttested',
  EvaluationRecorded: 'EvaluationRecorded',
  ModelApproved: 'ModelApproved',
  PredictionRecorded: 'PredictionRecorded',
  DataProfileRecorded: 'DataProfileRecorded',
  TrainingFailed: 'TrainingFailed',
  UtilitiesRecorded: 'UtilitiesRecorded',
  ContributionsSettled: 'ContributionsSettled',
  ...PRIVACY_EVENT,
} as const;
export type EventName = (typeof EVENT)[keyof typeof EVENT];

/** Every event payload names the transaction that emitted it (added by the chaincode's emitEvent). */
export interface EventPayloadBase {
  txId: string;
}

/** The part of a federation's events that names it. */
interface FederationEvent extends EventPayloadBase {
  federationId: string;
}

/** An event about one round of a federation. */
interface RoundEvent extends FederationEvent {
  round: number;
}

/** An event about what one org did in a federation. */
interface OrgEvent extends FederationEvent {
  mspId: MspId;
}

export interface ConsortiumInitializedPayload extends EventPayloadBase {
  members: ConsortiumMember[];
}
export interface RoleChangeProposedPayload extends EventPayloadBase {
  proposalId: string;
  mspId: MspId;
  role: OrgRole;
  status: RoleChangeProposal['status'];
}
export interface RoleChangeApprovedPayload extends RoleChangeProposedPayload {
  approvals: MspId[];
}
export interface FederationCreatedPayload extends FederationEvent {
  creatorMsp: MspId;
  invitedOrgs: MspId[];
  modelHash: string;
}
export type InvitationAcceptedPayload = OrgEvent;
export interface RoundOpenedPayload extends RoundEvent {
  deadline: string;
  participants: MspId[];
}
export interface FederationCancelledPayload extends FederationEvent {
  reason: string;
}
export interface UpdateSubmittedPayload extends RoundEvent {
  mspId: MspId;
  /**
   * Always -1: counting the round's other submissions would put their keys in the transaction's
   * read set and make concurrent submissions conflict. Read GetRound to know who submitted.
   */
  submitted: number;
  participants: number;
  /**
   * Blob path: the update's digest and size (public already, in the audit entry), so the other
   * orgs can start fetching it from its submitter without reading the ledger first (ADR 0030).
   */
  blob?: { digest: string; byteLength: number };
}
export interface RoundAggregatedPayload extends RoundEvent {
  version: number;
  modelHash: string;
  /** The round that is now open, or null when the federation completed. */
  nextRound: number | null;
  completed: boolean;
  /** The deadline of `nextRound`; absent when the federation completed. */
  deadline?: string;
  participants: MspId[];
}
/** Blob path (ADR 22): an org attested the hash of the model it computed for the round. */
export interface AggregateAttestedPayload extends RoundEvent {
  mspId: MspId;
  modelHash: string;
}
export interface EvaluationRecordedPayload extends OrgEvent {
  version: number;
  metrics: Record<string, number>;
}
export interface ModelApprovedPayload extends OrgEvent {
  version: number;
  modelHash: string;
  approvals: MspId[];
  deployed: boolean;
}
export interface PredictionRecordedPayload extends FederationEvent {
  version: number;
  modelHash: string;
  inputHash: string;
  outputHash: string;
  count: number;
}
export interface DataProfileRecordedPayload extends OrgEvent {
  rows: number;
}
export interface TrainingFailedPayload extends RoundEvent {
  mspId: MspId;
  reason: string;
  participants: number;
}
export interface UtilitiesRecordedPayload extends RoundEvent {
  mspId: MspId;
}
export interface ContributionsSettledPayload extends RoundEvent {
  creditsAllocated: number;
}
export type MaskingKeyRegisteredPayload = OrgEvent;
export interface SubmissionsClosedPayload extends RoundEvent {
  submitters: MspId[];
  dropped: MspId[];
}
export interface PairSeedsRevealedPayload extends RoundEvent {
  mspId: MspId;
}

/**
 * Event name → payload: the chaincode emits through it and the gateways consume through it, so a
 * field added on one side and not the other is a compile error. Every name of EVENT has an entry.
 */
export interface EventPayloads {
  ConsortiumInitialized: ConsortiumInitializedPayload;
  RoleChangeProposed: RoleChangeProposedPayload;
  RoleChangeApproved: RoleChangeApprovedPayload;
  FederationCreated: FederationCreatedPayload;
  InvitationAccepted: InvitationAcceptedPayload;
  RoundOpened: RoundOpenedPayload;
  FederationCancelled: FederationCancelledPayload;
  UpdateSubmitted: UpdateSubmittedPayload;
  RoundAggregated: RoundAggregatedPayload;
  AggregateAttested: AggregateAttestedPayload;
  EvaluationRecorded: EvaluationRecordedPayload;
  ModelApproved: ModelApprovedPayload;
  PredictionRecorded: PredictionRecordedPayload;
  DataProfileRecorded: DataProfileRecordedPayload;
  TrainingFailed: TrainingFailedPayload;
  UtilitiesRecorded: UtilitiesRecordedPayload;
  ContributionsSettled: ContributionsSettledPayload;
  MaskingKeyRegistered: MaskingKeyRegisteredPayload;
  SubmissionsClosed: SubmissionsClosedPayload;
  PairSeedsRevealed: PairSeedsRevealedPayload;
}

// Compile-time checks that EventPayloads and EVENT name the same events.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const EVERY_EVENT_HAS_A_PAYLOAD: Exactly<keyof EventPayloads, EventName> = true;
// eslint-disable-next-line @typescript-eslint/no-unused-expressions -- the check lives in the constant's type; this line only marks it used for noUnusedLocals
EVERY_EVENT_HAS_A_PAYLOAD;

/** What the chaincode passes to emitEvent: the payload without the txId it adds. */
export type EventBody<N extends EventName> = Omit<EventPayloads[N], 'txId'>;

/** One chaincode event as delivered to a gateway, in commit order. */
export interface ChaincodeEvent<N extends EventName> {
  name: N;
  /** The decoded canonical-JSON payload. */
  payload: EventPayloads[N];
  txId: string;
  blockNumber: bigint;
}

/** Any chaincode event: switching on `name` narrows `payload` to that event's type. */
export type LedgerEvent = { [N in EventName]: ChaincodeEvent<N> }[EventName];

/**
 * Delivers chaincode events in commit order. Implementations persist a checkpoint after each event
 * the handler settled, so a restarted gateway resumes exactly after the last handled event.
 */
export interface LedgerEventSource {
  listen(
    onEvent: (event: LedgerEvent) => Promise<void>,
    options?: ListenOptions,
  ): Promise<{ close(): void }>;
}

export interface ListenOptions {
  /**
   * Told of each event as soon as it reaches this process, while `onEvent` may still be busy with
   * earlier ones (a training can hold it for minutes). For hints that cannot wait, such as starting
   * a download; never for the work itself, which belongs in `onEvent`. Told again when an event is
   * delivered again; must not throw.
   */
  onArrival?: (event: LedgerEvent) => void;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.values(EVENT));

export function isEventName(name: string): name is EventName {
  return KNOWN_EVENTS.has(name);
}

/**
 * Decodes a chaincode event (name and canonical-JSON payload bytes) into a {@link LedgerEvent};
 * undefined for a name this code does not know (a newer chaincode) or a payload that is not a JSON
 * object. The payload's shape is trusted, not checked field by field: only the endorsed chaincode
 * can set an event, and it builds every payload through {@link EventBody}.
 */
export function decodeLedgerEvent(
  name: string,
  payload: Uint8Array,
  txId: string,
  blockNumber: bigint,
): LedgerEvent | undefined {
  if (!isEventName(name)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  // The one place the payload's type is asserted: the trust boundary described above.
  return { name, payload: { ...decoded, txId }, txId, blockNumber } as LedgerEvent;
}

/** The federation an event is about; undefined for consortium-wide events. */
export function eventFederationId(event: LedgerEvent): string | undefined {
  return 'federationId' in event.payload ? event.payload.federationId : undefined;
}
