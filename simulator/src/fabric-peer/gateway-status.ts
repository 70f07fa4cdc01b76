import { Metadata, type ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import { gateway, google } from '@hyperledger/fabric-protos';

/** Where an error detail says it came from: the endorsing peer's address and MSP. */
export interface PeerEndpoint {
  address: string;
  mspId: string;
}

/** The google.protobuf.Any methods used here (google-protobuf ships no typings in this tree). */
interface ProtoAny {
  setTypeUrl(url: string): void;
  setValue(value: Uint8Array): void;
}

/**
 * A gRPC error as the Fabric Gateway service returns it: status code and message, plus a
 * google.rpc.Status in the `grpc-status-details-bin` trailer whose details are gateway.ErrorDetail
 * messages (one per endpoint that failed).
 */
export function gatewayStatusError(
  code: GrpcStatus,
  message: string,
  details: Array<PeerEndpoint & { message: string }> = [],
): Partial<ServiceError> {
  const metadata = new Metadata();
  if (details.length > 0) {
    const status = new google.rpc.Status();
    status.setCode(code);
    status.setMessage(message);
    for (const detail of details) {
      const errorDetail = new gateway.ErrorDetail();
      errorDetail.setAddress(detail.address);
      errorDetail.setMspId(detail.mspId);
      errorDetail.setMessage(detail.message);
      const any = status.addDetails() as ProtoAny;
      any.setTypeUrl('type.googleapis.com/gateway.ErrorDetail');
      any.setValue(errorDetail.serializeBinary());
    }
    metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return { code, details: message, metadata };
}
