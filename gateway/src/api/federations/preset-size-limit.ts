import { DEFAULT_MAX_UPDATE_BYTES, FedLedgerError } from '@fedledger/core';
import { presetParamCount, type PresetOptions } from '../../ml/training/model-presets';

const FLOAT32_BYTES = 4;

/**
 * PAYLOAD_TOO_LARGE, before any weights exist, when a preset's float32 weights cannot fit the
 * federation's `maxUpdateBytes` (the chaincode refuses such initial weights and every update with
 * 413 anyway). Without it an 8×4096 MLP built 470 MB of weights only to be refused by the chaincode.
 * The FLW1 header (a few bytes per tensor) is left out: a model within a header of the limit still
 * reaches the chaincode's exact check.
 */
export function assertPresetFits(
  options: Pick<PresetOptions, 'preset' | 'inputDim' | 'hiddenUnits'>,
  maxUpdateBytes: number = DEFAULT_MAX_UPDATE_BYTES,
): void {
  const paramCount = presetParamCount(options);
  const maxParams = Math.floor(maxUpdateBytes / FLOAT32_BYTES);
  if (paramCount > maxParams) {
    const n = (value: number): string => value.toLocaleString('en-US');
    throw new FedLedgerError(
      'PAYLOAD_TOO_LARGE',
      `the ${options.preset} preset has ${n(paramCount)} parameters; this federation accepts at most ${n(maxParams)} (maxUpdateBytes ${n(maxUpdateBytes)} / ${FLOAT32_BYTES} bytes per float32 weight)`,
      { paramCount, maxParams, maxUpdateBytes },
    );
  }
}
