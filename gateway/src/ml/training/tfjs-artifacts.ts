import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';
import { disposeModel, getModelWeights, modelFromTopology, setModelWeights } from './model-io';

/** Name of the binary weights file that the exported model.json points at. */
export const WEIGHTS_BIN = 'weights.bin';

/** The standard tfjs `model.json` of a layers model (loadable with `tf.loadLayersModel`). */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export interface TfjsArtifacts {
  modelJson: TfjsModelJson;
  weightsBin: Uint8Array;
}

/**
 * Converts fedledger's (topology, FLW1 weights) into the files `tf.loadLayersModel` reads:
 * a model.json whose manifest points at {@link WEIGHTS_BIN}, and those bytes.
 */
export async function toTfjsArtifacts(
  topology: string,
  weights: Uint8Array,
): Promise<TfjsArtifacts> {
  const model = await modelFromTopology(topology);
  try {
    setModelWeights(model, weights);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
        });
      }),
    );
    if (
      saved?.weightSpecs === undefined ||
      saved.weightData === undefined ||
      saved.modelTopology === undefined
    ) {
      throw new FedLedgerError('INTERNAL', 'tfjs did not produce model artifacts');
    }
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: saved.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: saved.weightSpecs }],
      },
      weightsBin: new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData)),
    };
  } finally {
    disposeModel(model);
  }
}

/** The reverse of {@link toTfjsArtifacts}: a model.json object and its weights bytes back to (topology, FLW1 weights). */
export async function fromTfjsArtifacts(
  modelJson: unknown,
  weightsBin: Uint8Array,
): Promise<{ topology: string; weights: Uint8Array }> {
  const json = modelJson as Partial<TfjsModelJson> | null;
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.modelTopology !== 'object' ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'model.json must have a modelTopology object and a weightsManifest array',
    );
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const weightData = weightsBin.buffer.slice(
    weightsBin.byteOffset,
    weightsBin.byteOffset + weightsBin.byteLength,
  ) as ArrayBuffer;
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }),
    );
  } catch (error) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `model.json and ${WEIGHTS_BIN} do not load: ${(error as Error).message}`,
    );
  }
  try {
    return { topology: model.toJSON(undefined, true) as string, weights: getModelWeights(model) };
  } finally {
    disposeModel(model);
  }
}
