import { common, peer } from '@hyperledger/fabric-protos';
import { computeTxId, type FakeMspRegistry, type VerifiedCaller } from './fake-msp';

/** What the fake peer needs from one signed proposal, decoded layer by layer as a peer does. */
export interface DecodedProposal {
  channelId: string;
  txId: string;
  timestamp: Date;
  caller: VerifiedCaller;
  chaincodeName: string;
  /** `contract:Function` as the client's contract API writes it. */
  fcn: string;
  params: string[];
  transient: Map<string, Uint8Array>;
  /** The proposal's header bytes and payload (transient map included), for assembling the transaction. */
  headerBytes: Uint8Array;
  proposalBytes: Uint8Array;
  signatureHeaderBytes: Uint8Array;
  payload: peer.ChaincodeProposalPayload;
}

/** A request the peer refuses before running any chaincode (gRPC INVALID_ARGUMENT on a real peer). */
export class MalformedRequest extends Error {}

/** The protobuf Timestamp fields (google-protobuf ships no typings here). */
interface ProtoTimestamp {
  getSeconds(): number;
  getNanos(): number;
}

/** The transient map's entries as jspb.Map lists them (unresolved here for the same reason). */
interface TransientMap {
  getEntryList(): Array<[string, Uint8Array | string]>;
}

const utf8 = new TextDecoder();

/**
 * Decodes a SignedProposal: Proposal → Header → ChannelHeader (type, channel, tx id, timestamp) and
 * SignatureHeader (creator, nonce) → ChaincodeProposalPayload → ChaincodeInvocationSpec. Checks the
 * creator against the MSPs, the signature over the proposal bytes, and the tx id derivation.
 */
export function decodeSignedProposal(
  signed: peer.SignedProposal | undefined,
  msps: FakeMspRegistry,
): DecodedProposal {
  if (!signed || signed.getProposalBytes_asU8().length === 0)
    throw new MalformedRequest('the proposed transaction must contain a signed proposal');
  const proposalBytes = signed.getProposalBytes_asU8();
  const proposal = peer.Proposal.deserializeBinary(proposalBytes);
  const headerBytes = proposal.getHeader_asU8();
  const header = common.Header.deserializeBinary(headerBytes);
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
    throw new MalformedRequest(`unexpected header type ${channelHeader.getType()}`);
  }
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  const signatureHeader = common.SignatureHeader.deserializeBinary(signatureHeaderBytes);
  const caller = msps.verifySigned(
    signatureHeader.getCreator_asU8(),
    proposalBytes,
    signed.getSignature_asU8(),
  );
  const txId = channelHeader.getTxId();
  if (txId !== computeTxId(signatureHeader.getNonce_asU8(), signatureHeader.getCreator_asU8())) {
    throw new MalformedRequest(`transaction id ${txId} is not the hash of the nonce and creator`);
  }
  const timestamp = channelHeader.getTimestamp() as ProtoTimestamp | undefined;
  if (!timestamp) throw new MalformedRequest('the channel header has no timestamp');
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(
    payload.getInput_asU8(),
  ).getChaincodeSpec();
  const args = spec?.getInput()?.getArgsList_asU8() ?? [];
  if (args.length === 0) throw new MalformedRequest('the invocation has no function name');
  const transient = new Map<string, Uint8Array>();
  const entries = (payload.getTransientmapMap() as TransientMap).getEntryList();
  for (const [key, value] of entries) {
    transient.set(key, typeof value === 'string' ? Buffer.from(value, 'base64') : value);
  }
  return {
    channelId: channelHeader.getChannelId(),
    txId,
    timestamp: new Date(timestamp.getSeconds() * 1000 + Math.floor(timestamp.getNanos() / 1e6)),
    caller,
    chaincodeName: spec?.getChaincodeId()?.getName() ?? '',
    fcn: utf8.decode(args[0]),
    params: args.slice(1).map((arg) => utf8.decode(arg)),
    transient,
    headerBytes,
    proposalBytes,
    signatureHeaderBytes,
    payload,
  };
}
