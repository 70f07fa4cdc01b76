import * as tf from '@tensorflow/tfjs';
import type { ModelProfile } from './backend-policy';
import { disposeModel, modelFromTopology } from './model-io';

/** Builds the topology once and reads what the backend choice needs: parameter count and layer classes. */
export async function profileModel(topology: string): Promise<ModelProfile> {
  const model = await modelFromTopology(topology);
  try {
    return { paramCount: model.countParams(), layerClasses: layerClasses(model.layers) };
  } finally {
    disposeModel(model);
  }
}

/** Class names of the layers, a nested model's layers in its place. */
function layerClasses(layers: readonly tf.layers.Layer[]): string[] {
  return layers.flatMap((layer) =>
    layer instanceof tf.LayersModel ? layerClasses(layer.layers) : [layer.getClassName()],
  );
}
