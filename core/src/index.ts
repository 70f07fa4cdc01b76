/**
 * @fedledger/core — pure, deterministic code shared by chaincode and gateway.
 *
 * Weights: a model travels as FLW1 bytes (`encodeWeights` / `encodeFlat`; layout documented in
 * `weights/codec.ts`), its digest is `sha256Hex` of exactly those bytes, and large payloads are
 * stored as `splitIntoChunks` pieces re-assembled with `joinChunks`. Aggregation works on the flat
 * vector (`decodeFlat(bytes).flat`), one per org.
 *
 * Aggregation: `createStrategy(validateStrategyConfig(config)).aggregate({ updates, previous,
 * serverState })` returns the new flat weights, one diagnostic per update sorted by id, and the
 * optimizer state to pass into the next round (FedAvgM: `momentum`; FedAdam: `m`, `v`). Input is
 * validated before any math (QUORUM_NOT_MET, INVALID_ARGUMENT, SHAPE_MISMATCH, NON_FINITE_VALUE),
 * and the output is bit-identical whatever the order of `updates`.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './canonical-json';
export * from './fabric-client-id';
export * from './types';
export * from './ledger-api';
export * from './ledger-result';
export * from './ledger-call';
export * from './ledger-calls';
export * from './ledger-call-client';
export * from './ledger-events';
export * from './round-policy';
export * from './schema/data-schema';
export * from './schema/data-profile';
export * from './schema/consortium-preprocessing';
export * from './schema/training-failure';
export * from './aggregation/strategy';
export {
  WEIGHTS_MAGIC,
  WEIGHTS_FORMAT_VERSION,
  encodeWeights,
  decodeWeights,
  encodedWeightsBytes,
  type WeightTensor,
} from './weights/codec';
export * from './weights/flat';
export * from './weights/digest';
export * from './weights/chunks';
export * from './weights/validate';
export * from './aggregation/math';
export { validateAggregationInput, sortById } from './aggregation/validate-input';
export { STRATEGY_PARAMS, validateStrategyParams } from './aggregation/strategy-params';
export { FedAvgStrategy } from './aggregation/fedavg';
export { FedAvgMStrategy, FEDAVGM_MOMENTUM_STATE } from './aggregation/fedavgm';
export { FedAdamStrategy, FEDADAM_M_STATE, FEDADAM_V_STATE } from './aggregation/fedadam';
export { MedianStrategy } from './aggregation/median';
export { TrimmedMeanStrategy } from './aggregation/trimmed-mean';
export { KrumStrategy, krumScores } from './aggregation/krum';
export { NormBoundingStrategy } from './aggregation/norm-bounding';
export {
  AdaptiveNormBoundingStrategy,
  MAX_ADAPTIVE_NORM_MULTIPLIER,
} from './aggregation/adaptive-norm-bounding';
export { CosineFilterStrategy } from './aggregation/cosine-filter';
export { createStrategy, validateStrategyConfig } from './aggregation/create-strategy';
export * from './contribution';
export * from './quorum';
export * from './selection/model-selection';
export * from './privacy/index';
export * from './random/mulberry32';
export * from './blob/off-chain-aggregate';
