import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { common, gateway, orderer, peer } from '@hyperledger/fabric-protos';
import { FakeChannel, type FakeBlock, type PendingTransaction } from './fake-channel';
import { gatewayStatusError, type PeerEndpoint } from './gateway-status';
import { MalformedRequest, decodeSignedProposal, type DecodedProposal } from './proposal-decoding';
import { ShimChaincode, type Execution } from './shim-chaincode';
import { AccessDenied, type FakeMspRegistry } from './fake-msp';
import type { FakeTlsPki } from './fake-pki';
import {
  prepareTransaction,
  toProtoEvent,
  toProtoResponse,
  type EndorserIdentity,
} from './transaction-assembly';

export interface FakeGatewayPeerOptions {
  tls: FakeTlsPki;
  msps: FakeMspRegistry;
  /** The peer's own MSP identity; it signs endorsements and names the peer in error details. */
  endorser: EndorserIdentity;
  channelId: string;
  chaincodeName: string;
  /** Directory of the chaincode package to run (its package.json `main` and `contracts`). */
  chaincodeDir: string;
  /** The committed ledger to serve; pass the previous peer's to model a peer restart. */
  channel?: FakeChannel;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
}

/** The unary methods a test can stall. */
export type UnaryMethod = 'Evaluate' | 'Endorse' | 'Submit' | 'CommitStatus';

/** One gRPC call the peer received, for tests that count endorsements or submits. */
export interface ReceivedCall {
  method: 'Evaluate' | 'Endorse' | 'Submit' | 'CommitStatus' | 'ChaincodeEvents';
  txId: string;
  /** `contract:Function` for Evaluate, Endorse and (when it was endorsed here) Submit. */
  fcn?: string | undefined;
  caller?: { mspId: string; role: 'admin' | 'client' };
}

/** The peer's own gRPC message ceiling (100 MiB), which the gateway's client is configured to match. */
const MAX_GRPC_MESSAGE_BYTES = 100 * 1024 * 1024;

const { TxValidationCode } = peer;

/**
 * A unit-test double of a Fabric peer's Gateway service (gateway.Gateway over gRPC with TLS) for one
 * channel and one chaincode. Proposals are decoded and their signatures checked against test MSPs;
 * the real chaincode runs through fabric-shim's dispatcher on an in-memory stub with the proposal's
 * tx id, timestamp, creator and transient map. Endorse buffers the write set; Submit (signed
 * envelope) validates it (injected code, else MVCC on the keys read, then phantom reads on the
 * public ranges scanned) and commits it in a block of its own; CommitStatus answers from the
 * blocks; ChaincodeEvents streams committed events by block. See README.md in this folder.
 *
 * Not modelled: ordering service and consensus, several peers or endorsement policies, gossip and
 * private data dissemination, phantom validation of private-data ranges, block and config structure.
 */
export class FakeGatewayPeer {
  readonly channel: FakeChannel;
  readonly calls: ReceivedCall[] = [];
  readonly #server: grpc.Server;
  readonly #options: FakeGatewayPeerOptions;
  readonly #chaincode: ShimChaincode;
  readonly #pending = new Map<string, PendingTransaction>();
  readonly #endpoint: PeerEndpoint;
  /** Executions and commits run one at a time, as the peer's state lock serialises them. */
  #queue: Promise<unknown> = Promise.resolve();
  /** While set, Submit waits for it: lets a test endorse several transactions before any commits. */
  #submitGate: Promise<void> | undefined;
  readonly #waiters = new Set<() => void>();
  readonly #openStreams = new Set<unknown>();
  readonly #stalled = new Set<UnaryMethod>();
  readonly port: number;

  private constructor(server: grpc.Server, port: number, options: FakeGatewayPeerOptions) {
    this.#server = server;
    this.port = port;
    this.#options = options;
    this.channel = options.channel ?? new FakeChannel();
    this.#chaincode = new ShimChaincode(options.chaincodeDir);
    this.#endpoint = { address: `${options.tls.hostName}:${port}`, mspId: options.endorser.mspId };
  }

  /** Starts the service on 127.0.0.1 with an ephemeral port, TLS with the given server certificate. */
  static async start(options: FakeGatewayPeerOptions): Promise<FakeGatewayPeer> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
    });
    const credentials = grpc.ServerCredentials.createSsl(
      null,
      [
        {
          private_key: readFileSync(options.tls.serverKeyPath),
          cert_chain: readFileSync(options.tls.serverCertPath),
        },
      ],
      false,
    );
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (error, bound) => {
        if (error) reject(error);
        else resolve(bound);
      });
    });
    const fake = new FakeGatewayPeer(server, port, options);
    server.addService(gateway.GatewayService, {
      evaluate: fake.#unary('Evaluate', (request: gateway.EvaluateRequest) =>
        fake.#evaluate(request),
      ),
      endorse: fake.#unary('Endorse', (request: gateway.EndorseRequest) => fake.#endorse(request)),
      submit: fake.#unary('Submit', (request: gateway.SubmitRequest) => fake.#submit(request)),
      commitStatus: (
        call: grpc.ServerUnaryCall<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse>,
        callback: grpc.sendUnaryData<gateway.CommitStatusResponse>,
      ) => {
        fake.#commitStatus(call, fake.#stalled.delete('CommitStatus') ? () => undefined : callback);
      },
      chaincodeEvents: (
        call: grpc.ServerWritableStream<
          gateway.SignedChaincodeEventsRequest,
          gateway.ChaincodeEventsResponse
        >,
      ) => {
        fake.#chaincodeEvents(call);
      },
    });
    return fake;
  }

  /** `127.0.0.1:<port>`. */
  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** ChaincodeEvents streams currently open (a client that closed its listener has none). */
  get openEventStreams(): number {
    return this.#openStreams.size;
  }

  /** Stops serving at once, cancelling open event streams. */
  stop(): void {
    this.#server.forceShutdown();
  }

  /**
   * Holds every Submit until the returned release function is called, so that transactions
   * endorsed meanwhile all read the same state (a real MVCC race, made deterministic).
   */
  holdSubmits(): () => void {
    let release = (): void => undefined;
    this.#submitGate = new Promise((resolve) => {
      release = () => {
        this.#submitGate = undefined;
        resolve();
      };
    });
    return release;
  }

  /** Resolves once `condition` holds, re-checked after every received call and every commit. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  #record(call: ReceivedCall): void {
    this.calls.push(call);
    this.#waiters.forEach((check) => {
      check();
    });
  }

  /** Calls received for a transaction function (`contract:Function`), in order. */
  callsFor(method: ReceivedCall['method'], fcn: string): ReceivedCall[] {
    return this.calls.filter((call) => call.method === method && call.fcn === fcn);
  }

  /** The next call of `method` is processed but never answered, as by a peer that hangs. */
  stall(method: UnaryMethod): void {
    this.#stalled.add(method);
  }

  #unary<Req, Res>(
    method: UnaryMethod,
    handle: (request: Req) => Promise<Res>,
  ): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      if (this.#stalled.delete(method)) {
        handle(call.request).catch(() => undefined);
        return;
      }
      handle(call.request).then(
        (response) => {
          callback(null, response);
        },
        (error: unknown) => {
          callback(this.#asStatus(method, error));
        },
      );
    };
  }

  #asStatus(method: UnaryMethod, error: unknown): Partial<grpc.ServiceError> {
    if (error instanceof RpcError) return error.status;
    if (error instanceof MalformedRequest)
      return gatewayStatusError(grpc.status.INVALID_ARGUMENT, error.message);
    // The endorser refuses a proposal whose creator or signature fails the MSP check with a
    // status-500 proposal response, which the gateway reports as ABORTED with the peer's detail.
    if (error instanceof AccessDenied) {
      const action = method === 'Evaluate' ? 'evaluate' : 'endorse';
      return gatewayStatusError(
        grpc.status.ABORTED,
        `failed to ${action} transaction, see attached details for more info`,
        [{ ...this.#endpoint, message: `access denied: ${error.message}` }],
      );
    }
    return gatewayStatusError(grpc.status.INTERNAL, (error as Error).message);
  }

  #serialised<T>(work: () => T | PromiseLike<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #decode(
    signed: peer.SignedProposal | undefined,
    method: 'Evaluate' | 'Endorse',
  ): DecodedProposal {
    const proposal = decodeSignedProposal(signed, this.#options.msps);
    this.#record({
      method,
      txId: proposal.txId,
      fcn: proposal.fcn,
      caller: { mspId: proposal.caller.mspId, role: proposal.caller.role },
    });
    if (proposal.channelId !== this.#options.channelId) {
      throw new RpcError(
        gatewayStatusError(
          grpc.status.FAILED_PRECONDITION,
          `channel '${proposal.channelId}' not found`,
        ),
      );
    }
    if (proposal.chaincodeName !== this.#options.chaincodeName) {
      throw new RpcError(
        gatewayStatusError(
          grpc.status.FAILED_PRECONDITION,
          `chaincode '${proposal.chaincodeName}' is not installed on channel ${proposal.channelId}`,
        ),
      );
    }
    return proposal;
  }

  #execute(proposal: DecodedProposal): Promise<Execution> {
    return this.#chaincode.execute(this.channel.state, {
      txId: proposal.txId,
      timestamp: proposal.timestamp,
      channelId: proposal.channelId,
      creator: {
        mspid: proposal.caller.mspId,
        idBytes: Buffer.from(proposal.caller.certificate.toString()),
      },
      transient: proposal.transient,
      fcn: proposal.fcn,
      params: proposal.params,
    });
  }

  /** A chaincode error as the gateway relays it: `chaincode response <status>, <message>` per endpoint. */
  #chaincodeFailure(code: grpc.status, message: string, execution: Execution): RpcError {
    const detail = `chaincode response ${execution.response.status}, ${execution.response.message ?? ''}`;
    return new RpcError(
      gatewayStatusError(code, message.replace('%s', detail), [
        { ...this.#endpoint, message: detail },
      ]),
    );
  }

  async #evaluate(request: gateway.EvaluateRequest): Promise<gateway.EvaluateResponse> {
    const proposal = this.#decode(request.getProposedTransaction(), 'Evaluate');
    const execution = await this.#serialised(() => this.#execute(proposal));
    if (execution.response.status < 200 || execution.response.status >= 400) {
      throw this.#chaincodeFailure(
        grpc.status.UNKNOWN,
        'evaluate call to endorser returned error: %s',
        execution,
      );
    }
    const response = new gateway.EvaluateResponse();
    response.setResult(toProtoResponse(execution.response));
    return response;
  }

  async #endorse(request: gateway.EndorseRequest): Promise<gateway.EndorseResponse> {
    const proposal = this.#decode(request.getProposedTransaction(), 'Endorse');
    return this.#serialised(async () => {
      const execution = await this.#execute(proposal);
      if (execution.response.status < 200 || execution.response.status >= 400) {
        throw this.#chaincodeFailure(
          grpc.status.ABORTED,
          'failed to endorse transaction, see attached details for more info',
          execution,
        );
      }
      const envelope = prepareTransaction(
        proposal,
        execution.response,
        execution.stub.event,
        this.#options.endorser,
      );
      this.#pending.set(proposal.txId, {
        txId: proposal.txId,
        chaincodeName: proposal.chaincodeName,
        fcn: proposal.fcn,
        timestamp: proposal.timestamp,
        stub: execution.stub,
        readVersions: this.channel.readVersions(execution.stub),
        rangeReads: this.channel.rangeReads(execution.stub),
        envelopePayload: envelope.getPayload_asU8(),
      });
      const response = new gateway.EndorseResponse();
      response.setPreparedTransaction(envelope);
      return response;
    });
  }

  async #submit(request: gateway.SubmitRequest): Promise<gateway.SubmitResponse> {
    const envelope = request.getPreparedTransaction();
    if (!envelope) throw new MalformedRequest('a prepared transaction is required');
    if (envelope.getSignature_asU8().length === 0)
      throw new MalformedRequest('prepared transaction must be signed');
    const payloadBytes = envelope.getPayload_asU8();
    const header = common.Payload.deserializeBinary(payloadBytes).getHeader();
    if (!header) throw new MalformedRequest('the transaction has no header');
    const txId = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId();
    this.#record({ method: 'Submit', txId, fcn: this.#pending.get(txId)?.fcn });
    const creator = common.SignatureHeader.deserializeBinary(
      header.getSignatureHeader_asU8(),
    ).getCreator_asU8();
    try {
      this.#options.msps.verifySigned(creator, payloadBytes, envelope.getSignature_asU8());
    } catch (error) {
      // The orderer's signature filter answers FORBIDDEN; the gateway does not retry client errors.
      throw new RpcError(
        gatewayStatusError(
          grpc.status.ABORTED,
          `received unsuccessful response from orderer: status=FORBIDDEN, info=${(error as Error).message}`,
        ),
      );
    }
    const pending = this.#pending.get(txId);
    if (
      !pending ||
      Buffer.compare(Buffer.from(pending.envelopePayload), Buffer.from(payloadBytes)) !== 0
    ) {
      throw new RpcError(
        gatewayStatusError(
          grpc.status.ABORTED,
          `received unsuccessful response from orderer: status=BAD_REQUEST, info=transaction ${txId} was not endorsed by this peer as sent`,
        ),
      );
    }
    this.#pending.delete(txId);
    await this.#submitGate;
    await this.#serialised(() => this.channel.commit(pending));
    this.#waiters.forEach((check) => {
      check();
    });
    return new gateway.SubmitResponse();
  }

  #commitStatus(
    call: grpc.ServerUnaryCall<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse>,
    callback: grpc.sendUnaryData<gateway.CommitStatusResponse>,
  ): void {
    let request: gateway.CommitStatusRequest;
    try {
      const bytes = call.request.getRequest_asU8();
      request = gateway.CommitStatusRequest.deserializeBinary(bytes);
      this.#record({ method: 'CommitStatus', txId: request.getTransactionId() });
      this.#options.msps.verifySigned(
        request.getIdentity_asU8(),
        bytes,
        call.request.getSignature_asU8(),
      );
    } catch (error) {
      callback(gatewayStatusError(grpc.status.PERMISSION_DENIED, (error as Error).message));
      return;
    }
    const answer = (block: FakeBlock): void => {
      const response = new gateway.CommitStatusResponse();
      response.setResult(
        block.validationCode as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap],
      );
      response.setBlockNumber(Number(block.number));
      callback(null, response);
    };
    const committed = this.channel.status(request.getTransactionId());
    if (committed) {
      answer(committed);
      return;
    }
    // Like a peer, wait for the transaction to commit (or the client to give up).
    const unsubscribe = this.channel.onBlock((block) => {
      if (block.txId !== request.getTransactionId()) return;
      unsubscribe();
      answer(block);
    });
    call.on('cancelled', unsubscribe);
  }

  #chaincodeEvents(
    call: grpc.ServerWritableStream<
      gateway.SignedChaincodeEventsRequest,
      gateway.ChaincodeEventsResponse
    >,
  ): void {
    let request: gateway.ChaincodeEventsRequest;
    try {
      const bytes = call.request.getRequest_asU8();
      request = gateway.ChaincodeEventsRequest.deserializeBinary(bytes);
      this.#record({ method: 'ChaincodeEvents', txId: request.getAfterTransactionId() });
      this.#options.msps.verifySigned(
        request.getIdentity_asU8(),
        bytes,
        call.request.getSignature_asU8(),
      );
    } catch (error) {
      call.emit(
        'error',
        gatewayStatusError(grpc.status.PERMISSION_DENIED, (error as Error).message),
      );
      return;
    }
    if (request.getChannelId() !== this.#options.channelId) {
      call.emit(
        'error',
        gatewayStatusError(grpc.status.NOT_FOUND, `channel '${request.getChannelId()}' not found`),
      );
      return;
    }
    const matches = eventMatcher(request.getChaincodeId(), request.getAfterTransactionId());
    const send = (block: FakeBlock): void => {
      if (!matches(block) || !block.event) return;
      const response = new gateway.ChaincodeEventsResponse();
      response.setBlockNumber(Number(block.number));
      response.setEventsList([
        toProtoEvent(block.event.chaincodeName, block.txId, {
          name: block.event.eventName,
          payload: block.event.payload,
        }),
      ]);
      call.write(response);
    };
    const start = this.#startBlock(request);
    this.channel.blocks.filter((block) => block.number >= start).forEach(send);
    const unsubscribe = this.channel.onBlock(send);
    this.#openStreams.add(call);
    const end = (): void => {
      unsubscribe();
      if (this.#openStreams.delete(call))
        this.#waiters.forEach((check) => {
          check();
        });
    };
    call.on('cancelled', end);
    call.on('close', end);
    this.#waiters.forEach((check) => {
      check();
    });
  }

  /** The block of the checkpointed transaction if known, else the requested position (next commit by default). */
  #startBlock(request: gateway.ChaincodeEventsRequest): bigint {
    const after = request.getAfterTransactionId();
    const known = after ? this.channel.status(after) : undefined;
    if (known) return known.number;
    const position = request.getStartPosition();
    if (position?.getTypeCase() === orderer.SeekPosition.TypeCase.SPECIFIED) {
      return BigInt(position.getSpecified()?.getNumber() ?? 0);
    }
    return BigInt(this.channel.blocks.length + 1);
  }
}

/**
 * Fabric's chaincode event filter: events of the named chaincode, and when resuming after a
 * checkpointed transaction, only those after it.
 */
function eventMatcher(chaincodeName: string, afterTxId: string): (block: FakeBlock) => boolean {
  let passed = afterTxId === '';
  return (block) => {
    if (!passed) {
      passed = block.txId === afterTxId;
      return false;
    }
    return block.event?.chaincodeName === chaincodeName;
  };
}

/** A gRPC status the handler decided on. */
class RpcError extends Error {
  constructor(readonly status: Partial<grpc.ServiceError>) {
    super(status.details);
  }
}

export { TxValidationCode };
