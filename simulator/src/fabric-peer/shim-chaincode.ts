import type { MemoryState } from '../memory-state';
import { MemoryStub, type MemoryTransaction } from '../memory-stub';

/** The chaincode's answer, as fabric-shim hands it to the peer. */
export interface ShimResponse {
  status: number;
  message?: string;
  payload?: Uint8Array;
}

/** A public key range a transaction scanned: start ≤ key < end (end '' = unbounded). */
export interface KeyRange {
  start: string;
  end: string;
}

/** What one execution produced: the response, and the stub holding the buffered writes, reads and event. */
export interface Execution {
  response: ShimResponse;
  stub: DispatchStub;
}

// fabric-shim's contract SPI is plain JS without typings: declare exactly what is used.
interface ChaincodeFromContract {
  Invoke(stub: unknown): Promise<ShimResponse>;
}
type ChaincodeFromContractClass = new (
  contracts: unknown[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => ChaincodeFromContract;
interface Bootstrap {
  getInfoFromContract(modulePath: string): {
    contracts: unknown[];
    serializers: unknown;
    title: string;
    version: string;
  };
}

/**
 * A MemoryStub that also answers `getBufferArgs`, which the shim's dispatcher reads, and records
 * the public key ranges scanned, which a committing peer re-checks for phantom reads. Paginated
 * scans are not recorded: Fabric refuses them in transactions that write.
 */
export class DispatchStub extends MemoryStub {
  readonly ranges: KeyRange[] = [];

  getBufferArgs(): Buffer[] {
    return this.getArgs().map((arg) => Buffer.from(arg));
  }

  override getStateByRange(
    startKey: string,
    endKey: string,
  ): ReturnType<MemoryStub['getStateByRange']> {
    // As MemoryStub (and the peer) do, an empty start key begins after the composite-key namespace.
    this.ranges.push({ start: startKey === '' ? '\u0001' : startKey, end: endKey });
    return super.getStateByRange(startKey, endKey);
  }

  override getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): ReturnType<MemoryStub['getStateByPartialCompositeKey']> {
    const prefix = this.createCompositeKey(objectType, attributes);
    this.ranges.push({ start: prefix, end: `${prefix}\u{10FFFF}` });
    return super.getStateByPartialCompositeKey(objectType, attributes);
  }
}

/**
 * The fedledger chaincode loaded exactly as `fabric-chaincode-node server` loads it (package.json
 * `main`, its `contracts`, default JSON serializer) and invoked through fabric-shim's own contract
 * dispatcher, so parameter marshalling, ClientIdentity parsing of the real X.509 creator, result
 * serialisation and `shim.error(message)` are the shim's. Only the stub is in memory.
 */
export class ShimChaincode {
  readonly #chaincode: ChaincodeFromContract;

  /** @param packageDir the chaincode package's directory (where its package.json is) */
  constructor(packageDir: string) {
    // The chaincode package's own fabric-shim, as its process would load it.
    const shimPath = (module: string) =>
      require.resolve(`fabric-shim/lib/contract-spi/${module}`, { paths: [packageDir] });
    // Loaded by resolved path, synchronously: the copy under the chaincode package, not gateway's own resolution.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path in a synchronous constructor; import() would be async.
    const Bootstrap = require(shimPath('bootstrap')) as Bootstrap;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above.
    const ChaincodeFromContract = require(
      shimPath('chaincodefromcontract'),
    ) as ChaincodeFromContractClass;
    const info = Bootstrap.getInfoFromContract(packageDir);
    this.#chaincode = new ChaincodeFromContract(
      info.contracts,
      info.serializers,
      {},
      info.title,
      info.version,
    );
  }

  /** Runs one transaction against committed `state`; nothing is written to it. */
  async execute(state: MemoryState, tx: MemoryTransaction): Promise<Execution> {
    const stub = new DispatchStub(state, tx);
    const response = await this.#chaincode.Invoke(stub);
    return { response, stub };
  }
}
