import * as grpc from '@grpc/grpc-js';
import type { OrgConnection } from '../../platform/config/org-connection';

/** gRPC's 4 MiB default is too small for model weights; Fabric's own ceiling is 100 MiB. */
export const MAX_GRPC_MESSAGE_BYTES = 100 * 1024 * 1024;

/** gRPC channel options for the org's peer: raised message limits and the TLS host alias if any. */
export function grpcChannelOptions(peer: OrgConnection['peer']): grpc.ChannelOptions {
  const options: grpc.ChannelOptions = {
    'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
  };
  if (peer.hostAlias) {
    options['grpc.ssl_target_name_override'] = peer.hostAlias;
  }
  return options;
}

/** The one gRPC client of a gateway, TLS-authenticated against the org's CA. */
export function newGrpcClient(peer: OrgConnection['peer'], tlsRootCert: Buffer): grpc.Client {
  return new grpc.Client(
    peer.endpoint,
    grpc.credentials.createSsl(tlsRootCert),
    grpcChannelOptions(peer),
  );
}
