// fabric-shim's contract SPI is plain JS without types: this declares just what
// contract-metadata.test.ts uses to load the package the way `fabric-chaincode-node server` does.

declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  import type { ChaincodeResponse } from 'fabric-shim-api';

  interface TransactionMetadata {
    name: string;
    tag: string[];
    parameters: { name: string }[];
  }

  class ChaincodeFromContract {
    constructor(
      contracts: unknown[],
      serializers: unknown,
      metadata: object,
      title: string,
      version: string,
    );
    /** Contracts by name; a name the package does not define has no entry. */
    metadata: { contracts: Partial<Record<string, { transactions: TransactionMetadata[] }>> };
    Invoke(stub: unknown): Promise<ChaincodeResponse>;
  }
  export = ChaincodeFromContract;
}

declare module 'fabric-shim/lib/contract-spi/bootstrap' {
  const Bootstrap: {
    getInfoFromContract(modulePath: string): {
      contracts: unknown[];
      serializers: unknown;
      title: string;
      version: string;
    };
  };
  export = Bootstrap;
}
