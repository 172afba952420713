/**
 * The size side of the compression report. Accuracy before and after, and energy per 1,000
 * inferences, come from the lab's evaluation and are joined to this by the caller.
 */
import { gzipSync, strToU8 } from 'fflate';
import type { LayersModelFiles } from './manifest';

/** Sizes of an export against the dense float32 model. */
export interface CompressionSizes {
  /** 4 bytes for every weight element: the weights of the uncompressed float32 model. */
  readonly denseFloat32Bytes: number;
  /** model.json as UTF-8. */
  readonly modelJsonBytes: number;
  /** The weights .bin. */
  readonly weightsBytes: number;
  /** modelJsonBytes + weightsBytes: what a plain tfjs loader downloads. */
  readonly exportBytes: number;
  /** gzip (level 6) of model.json plus gzip of the .bin, as a server sending them gzipped would. */
  readonly gzipBytes: number;
  /** denseFloat32Bytes / gzipBytes. */
  readonly ratio: number;
}

/**
 * Measures an export. The dense baseline counts weights only while gzipBytes also counts
 * model.json, so the ratio errs on the modest side.
 */
export function compressionSizes(files: Pick<LayersModelFiles, 'modelJson' | 'modelJsonText' | 'weightsBin'>): CompressionSizes {
  const elements = files.modelJson.weightsManifest
    .flatMap((group) => group.weights)
    .reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  const denseFloat32Bytes = 4 * elements;
  const jsonBytes = strToU8(files.modelJsonText);
  const gzipBytes = gzipSync(jsonBytes, { level: 6 }).length + gzipSync(files.weightsBin, { level: 6 }).length;
  return {
    denseFloat32Bytes,
    modelJsonBytes: jsonBytes.length,
    weightsBytes: files.weightsBin.length,
    exportBytes: jsonBytes.length + files.weightsBin.length,
    gzipBytes,
    ratio: gzipBytes === 0 ? 0 : denseFloat32Bytes / gzipBytes,
  };
}
