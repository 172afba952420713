/**
 * Edge against cloud, on the data-transfer side, with @tgwf/co2's Sustainable Web Design model
 * (v4: 0.194 kWh operational + 0.106 kWh embodied per GB across data centre, network and device,
 * at 494 gCO2e/kWh global grid intensity; constants in @tgwf/co2 dist/esm/constants/index.js).
 *
 * Edge: the model is sent once to each of N devices, which then infer locally (no transfer per
 * request). Cloud: every request sends its input to a server and gets the output back. The
 * lab's own inference energy is in the deployment table; this compares only bytes moved. SWD is
 * linear in bytes, so the break-even is a ratio of sizes: a device that makes more than
 * modelBytes / requestBytes requests emits less by downloading the model.
 */
import { co2 } from '@tgwf/co2';
import { gramsCO2e, type GramsCO2e } from '../units';

const swd = new co2({ model: 'swd', version: 4 });

/** Grams CO2e of moving `bytes` once, by SWD v4. `green`: the data centre runs on renewable energy. */
export function transferGrams(bytes: number, green = false): GramsCO2e {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`bytes must be a finite number >= 0, got ${bytes}`);
  return gramsCO2e(swd.perByte(bytes, green));
}

/** Sizes of one deployment, in bytes. */
export interface TransferSizes {
  /** The model as served (gzip of model.json and weights). */
  readonly modelBytes: number;
  /** One request to a server and its response: the input sent plus the output returned. */
  readonly requestBytes: number;
  readonly green?: boolean;
}

/** Transfer emissions of serving `devices` devices making `requestsPerDevice` requests each. */
export interface EdgeCloudComparison {
  readonly edgeGrams: GramsCO2e;
  readonly cloudGrams: GramsCO2e;
  /** Requests per device above which the edge emits less; Infinity when a request moves no bytes. */
  readonly breakEvenRequestsPerDevice: number;
  /** For this many requests in all, the number of devices below which the edge emits less. */
  readonly breakEvenDevices: number;
  readonly cheaper: 'edge' | 'cloud' | 'equal';
}

/** Compares edge and cloud transfer emissions (see the file's comment for the model). */
export function edgeVsCloud(sizes: TransferSizes, devices: number, requestsPerDevice: number): EdgeCloudComparison {
  if (!(devices >= 0) || !(requestsPerDevice >= 0)) throw new RangeError(`devices and requests must be >= 0, got ${devices}, ${requestsPerDevice}`);
  const green = sizes.green ?? false;
  const edgeGrams = transferGrams(sizes.modelBytes * devices, green);
  const cloudGrams = transferGrams(sizes.requestBytes * devices * requestsPerDevice, green);
  const breakEvenRequestsPerDevice = breakEvenRequests(sizes);
  const totalRequests = devices * requestsPerDevice;
  return {
    edgeGrams,
    cloudGrams,
    breakEvenRequestsPerDevice,
    breakEvenDevices: breakEvenRequestsPerDevice === Infinity ? 0 : totalRequests / breakEvenRequestsPerDevice,
    cheaper: Math.abs(edgeGrams - cloudGrams) <= 1e-12 * Math.max(edgeGrams, cloudGrams) ? 'equal' : edgeGrams < cloudGrams ? 'edge' : 'cloud',
  };
}

/** Requests per device at which sending the model once emits as much as sending every request. */
export function breakEvenRequests(sizes: TransferSizes): number {
  if (!(sizes.modelBytes >= 0) || !(sizes.requestBytes >= 0)) throw new RangeError('sizes must be >= 0 bytes');
  return sizes.requestBytes === 0 ? Infinity : sizes.modelBytes / sizes.requestBytes;
}

/** Bytes of one request: the input as float32 plus the output as float32 (JSON or text would be larger). */
export function float32RequestBytes(inputShape: readonly number[], outputSize: number): number {
  return 4 * (inputShape.reduce((a, b) => a * b, 1) + outputSize);
}

/** Points of the edge and cloud lines per device, from 0 to `maxRequests` requests per device. */
export function edgeCloudCurve(sizes: TransferSizes, maxRequests: number, points = 41): { requests: number[]; edge: number[]; cloud: number[] } {
  const requests = Array.from({ length: points }, (_, i) => (maxRequests * i) / (points - 1));
  const green = sizes.green ?? false;
  const edge = transferGrams(sizes.modelBytes, green);
  return {
    requests,
    edge: requests.map(() => edge),
    cloud: requests.map((r) => transferGrams(sizes.requestBytes * r, green)),
  };
}
