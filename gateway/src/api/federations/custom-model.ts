import { FedLedgerError } from '@fedledger/core';
import { disposeModel, modelFromTopology, setModelWeights } from '../../ml/training/model-io';

/**
 * Checks a caller-supplied model before it goes on the ledger: the topology builds, the initial
 * weights fit it (SHAPE_MISMATCH otherwise), and it takes one input per feature column. Without
 * this a bad model would be accepted at creation and fail every later training and download.
 */
export async function validateCustomModel(
  topology: string,
  initialWeights: Uint8Array,
  featureCount: number,
): Promise<void> {
  const model = await modelFromTopology(topology);
  try {
    setModelWeights(model, initialWeights);
    const inputShape = model.inputs.at(0)?.shape;
    if (model.inputs.length !== 1 || inputShape?.length !== 2 || inputShape[1] !== featureCount) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `the model input has shape [${(inputShape ?? []).join(',')}] but there are ${featureCount} feature columns; expected [null,${featureCount}]`,
      );
    }
  } finally {
    disposeModel(model);
  }
}
