/**
 * `@fedledger/simulator/fabric-peer`: a gRPC double of a Fabric peer's Gateway service, for unit
 * tests of what a live network cannot be made to do on demand (README.md here). Test code only.
 */
export { FAKE_CHANNEL, FAKE_ORGS, startFakeFabric, type FakeFabric } from './fake-fabric';
export {
  FakeGatewayPeer,
  TxValidationCode,
  type FakeGatewayPeerOptions,
  type ReceivedCall,
  type UnaryMethod,
} from './fake-gateway-peer';
export type { FakeOrgPki, FakeTlsPki } from './fake-pki';
