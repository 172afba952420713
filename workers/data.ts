/** Loads the dataset a config asks for: the MNIST-format file from a URL, a synthetic set, or your own data kept in this browser. */
import { isOwnData, type ExperimentConfig } from '../src/core/config/schema';
import { splitDataset, type Dataset, type SplitDataset } from '../src/core/data/dataset';
import { DatasetFormatError, datasetFromImageFile, decodeDatasetFile, readDatasetStream } from '../src/core/data/format';
import { syntheticDataset } from '../src/core/data/synthetic';
import { ownDataset } from './own-data';

/** Where the built-in MNIST file is served, relative to the app. */
export const BUILTIN_MNIST_PATH = 'data/mnist-10k.bin';

/** The last downloaded dataset only: a run on another file releases the one before (each holds its pixels as float32). */
let fileCache: { readonly url: string; readonly dataset: Dataset } | null = null;

/** Downloads and decodes a dataset file, streaming it under the dataset cap (readDatasetStream). */
async function fetchDataset(url: string): Promise<Dataset> {
  if (fileCache?.url === url) return fileCache.dataset;
  fileCache = null;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download the dataset from ${url} (${(error as Error).message}). Check the address and your connection; nothing was trained.`);
  }
  if (!response.ok) throw new Error(`The dataset server answered ${response.status} ${response.statusText} for ${url}; nothing was trained.`);
  const contentLength = response.headers.get('content-length');
  let bytes: Uint8Array;
  try {
    bytes = response.body ? await readDatasetStream(response.body, contentLength, url) : new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof DatasetFormatError) throw error;
    throw new Error(`The download of the dataset from ${url} broke off (${(error as Error).message}); nothing was trained.`);
  }
  const dataset = datasetFromImageFile(decodeDatasetFile(bytes, url), url.endsWith(BUILTIN_MNIST_PATH) ? 'MNIST' : url);
  fileCache = { url, dataset };
  return dataset;
}

/** Resolves the dataset URL of a config against the page's base address. */
export function datasetUrl(config: ExperimentConfig, base: string): string {
  return new URL(config.data.url || BUILTIN_MNIST_PATH, base).href;
}

/** Loads and splits the data of a run; the split depends only on the data and the seed. */
export async function loadData(config: ExperimentConfig, base: string): Promise<SplitDataset> {
  const { dataset, samples, noise, testFraction } = config.data;
  if (isOwnData(dataset)) return ownDataset(config);
  const full = dataset === 'mnist' ? await fetchDataset(datasetUrl(config, base)) : syntheticDataset(dataset, samples, noise, config.train.seed);
  return splitDataset(full, testFraction, config.train.seed);
}
