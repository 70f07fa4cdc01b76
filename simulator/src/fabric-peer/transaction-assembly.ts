import { createHash, createPrivateKey, sign } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { ShimResponse } from './shim-chaincode';
import type { DecodedProposal } from './proposal-decoding';

/** The endorsing peer's own identity: it signs each proposal response it produces. */
export interface EndorserIdentity {
  mspId: string;
  certPem: Buffer;
  keyPem: Buffer;
}

/** The chaincode event of a transaction, if it set one. */
export interface ActionEvent {
  name: string;
  payload: Uint8Array;
}

/** A proto Response carrying the chaincode's status, message and payload. */
export function toProtoResponse(response: ShimResponse): peer.Response {
  const result = new peer.Response();
  result.setStatus(response.status);
  result.setMessage(response.message ?? '');
  result.setPayload(response.payload ?? new Uint8Array(0));
  return result;
}

/** A ChaincodeEvent proto for `event` of transaction `txId`. */
export function toProtoEvent(
  chaincodeName: string,
  txId: string,
  event: ActionEvent,
): peer.ChaincodeEvent {
  const result = new peer.ChaincodeEvent();
  result.setChaincodeId(chaincodeName);
  result.setTxId(txId);
  result.setEventName(event.name);
  result.setPayload(event.payload);
  return result;
}

/**
 * The transaction envelope a gateway peer prepares after endorsement (payload only; the client
 * signs it): Payload{header of the proposal, Transaction{TransactionAction{signature header,
 * ChaincodeActionPayload{proposal payload without the transient map, ChaincodeEndorsedAction{
 * ProposalResponsePayload{proposal hash, ChaincodeAction{response, events, chaincode id}}, one
 * endorsement}}}}}. The read-write set (`results`) is left empty: the client never reads it.
 */
export function prepareTransaction(
  proposal: DecodedProposal,
  response: ShimResponse,
  event: ActionEvent | undefined,
  endorser: EndorserIdentity,
): common.Envelope {
  const publicPayload = new peer.ChaincodeProposalPayload();
  publicPayload.setInput(proposal.payload.getInput_asU8());
  const publicPayloadBytes = publicPayload.serializeBinary();

  const action = new peer.ChaincodeAction();
  // The gateway drops the duplicate payload from endorsements but the committed action keeps it.
  action.setResponse(toProtoResponse(response));
  if (event)
    action.setEvents(toProtoEvent(proposal.chaincodeName, proposal.txId, event).serializeBinary());
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(proposal.chaincodeName);
  action.setChaincodeId(chaincodeId);

  const header = common.Header.deserializeBinary(proposal.headerBytes);
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setProposalHash(
    createHash('sha256')
      .update(header.getChannelHeader_asU8())
      .update(header.getSignatureHeader_asU8())
      .update(publicPayloadBytes)
      .digest(),
  );
  responsePayload.setExtension$(action.serializeBinary());
  const responsePayloadBytes = responsePayload.serializeBinary();

  const endorserIdentity = new msp.SerializedIdentity();
  endorserIdentity.setMspid(endorser.mspId);
  endorserIdentity.setIdBytes(endorser.certPem);
  const endorserBytes = endorserIdentity.serializeBinary();
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorserBytes);
  endorsement.setSignature(
    sign(
      'sha256',
      Buffer.concat([responsePayloadBytes, endorserBytes]),
      createPrivateKey(endorser.keyPem),
    ),
  );

  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setProposalResponsePayload(responsePayloadBytes);
  endorsedAction.setEndorsementsList([endorsement]);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(publicPayloadBytes);
  actionPayload.setAction(endorsedAction);

  const transactionAction = new peer.TransactionAction();
  transactionAction.setHeader(proposal.signatureHeaderBytes);
  transactionAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([transactionAction]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}
