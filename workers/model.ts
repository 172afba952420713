/** Builds the tfjs model and optimizer a config describes, with every initialiser seeded. */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../src/core/config/schema';
import { deriveSeed } from '../src/core/data/prng';

/**
 * A Sequential model ending in softmax over `numClasses`. Kernels use Glorot-uniform
 * initialisers with seeds derived from the experiment seed (tfjs falls back to Math.random
 * for unseeded initialisers), biases start at zero, so the same seed gives the same weights.
 */
export function buildModel(config: ExperimentConfig, inputShape: readonly number[], numClasses: number): tf.Sequential {
  const { kind, hidden, activation, filters } = config.model;
  const seed = config.train.seed;
  let layerIndex = 0;
  const kernel = () => tf.initializers.glorotUniform({ seed: deriveSeed(seed, `kernel-${layerIndex++}`) });
  const model = tf.sequential({ name: kind });
  const shape = [...inputShape];
  if (kind === 'cnn') {
    filters.forEach((f, i) => {
      model.add(
        tf.layers.conv2d({
          ...(i === 0 ? { inputShape: shape } : {}),
          filters: f,
          kernelSize: 3,
          activation,
          padding: 'same',
          kernelInitializer: kernel(),
        }),
      );
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    });
    model.add(tf.layers.flatten());
  } else if (shape.length > 1) {
    model.add(tf.layers.flatten({ inputShape: shape }));
  }
  // A flat input (2-D points) goes straight into the first Dense layer.
  const first = () => (model.layers.length === 0 ? { inputShape: shape } : {});
  for (const units of hidden) model.add(tf.layers.dense({ ...first(), units, activation, kernelInitializer: kernel() }));
  model.add(tf.layers.dense({ ...first(), units: numClasses, activation: 'softmax', kernelInitializer: kernel() }));
  return model;
}

/** The optimizer a config names. */
export function buildOptimizer(config: ExperimentConfig): tf.Optimizer {
  const { optimizer, learningRate, momentum } = config.train;
  switch (optimizer) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, momentum);
    case 'adam':
      return tf.train.adam(learningRate);
  }
}
