/** A Fabric MSP id such as `Org1MSP`. A leaf module, so the record types can share it without an import circle. */
export type MspId = string;
