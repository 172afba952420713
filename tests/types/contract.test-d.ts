/**
 * Type tests of the worker contract: mistakes that would still compile without them. Checked by
 * `npm run check` (tsconfig.ui.json); nothing here runs.
 */
import { expectTypeOf } from 'vitest';
import type { ExportMetadata, ExportRequest, LabWorkerApi } from '../../workers/contract';
import type { WorkerBridge } from '../../src/ui/bridge';
import type { GramsCO2PerKWh, WattHours } from '../../src/core/units';
import { gramsPerKWh, kilowattHours, wattHours } from '../../src/core/units';

declare const bridge: WorkerBridge;
declare const api: LabWorkerApi;

// Units are branded: a bare number, or kWh for Wh, is a compile error.
bridge.updateRunContext(gramsPerKWh(200), wattHours(1.5));
bridge.updateRunContext(null, wattHours(0));
// @ts-expect-error a bare number is not watt-hours
bridge.updateRunContext(null, 1.5);
// @ts-expect-error kilowatt-hours are not watt-hours
bridge.updateRunContext(null, kilowattHours(1.5));
// @ts-expect-error an intensity is grams per kWh, not watt-hours
bridge.updateRunContext(wattHours(200), wattHours(1));
expectTypeOf<Parameters<LabWorkerApi['updateRunContext']>>().toEqualTypeOf<[intensity: GramsCO2PerKWh | null, energy: WattHours]>();

// Every worker call has one bridge method with the same parameters (plus an optional AbortSignal)
// and the same answer: the page never needs the raw remote.
type Calls = keyof LabWorkerApi;
expectTypeOf<Exclude<Calls, keyof WorkerBridge>>().toEqualTypeOf<never>();
type Answer<K extends Calls> = Awaited<ReturnType<LabWorkerApi[K]>>;
type BridgeAnswer<K extends Calls> = Awaited<ReturnType<WorkerBridge[K]>>;
type SameAnswers = { [K in Calls]: Answer<K> extends BridgeAnswer<K> ? (BridgeAnswer<K> extends Answer<K> ? true : K) : K }[Calls];
expectTypeOf<SameAnswers>().toEqualTypeOf<true>();
// There is no raw remote on the bridge.
expectTypeOf<WorkerBridge>().not.toHaveProperty('api');
expectTypeOf<WorkerBridge>().not.toHaveProperty('remote');

// The export ships only what metadata.json needs: no loss curve, no epoch table (run.csv has it).
expectTypeOf<ExportMetadata>().not.toHaveProperty('lossCurve');
expectTypeOf<ExportMetadata>().not.toHaveProperty('epochs');
expectTypeOf<ExportRequest['metadata']>().toEqualTypeOf<ExportMetadata>();
// @ts-expect-error metadata is not an open record any more
const loose: ExportRequest = { which: 'trained', precision: 'uint8', metadata: { anything: 1 }, runCsv: '' };
void loose;

/** Whether a type is plain data: no functions anywhere inside it (so no tensor or model), ArrayBuffers and typed arrays allowed. */
type Plain<T> = T extends (...args: never[]) => unknown
  ? false
  : T extends ArrayBuffer | ArrayBufferView
    ? true
    : T extends readonly (infer U)[]
      ? Plain<U>
      : T extends object
        ? { [K in keyof T]-?: Plain<T[K]> }[keyof T] extends true
          ? true
          : false
        : true;
// Every answer of the worker is plain data: tensors and models never cross.
type PlainAnswers = { [K in Calls]: [Plain<Answer<K>>] extends [true] ? true : K }[Calls];
expectTypeOf<PlainAnswers>().toEqualTypeOf<true>();
// The check itself catches a method-bearing answer.
expectTypeOf<Plain<{ data(): Promise<Float32Array> }>>().toEqualTypeOf<false>();
expectTypeOf<Plain<{ zip: ArrayBuffer; sizes: readonly number[] }>>().toEqualTypeOf<true>();
expectTypeOf<Plain<{ probs: Float32Array; kernels: readonly Float32Array[] }>>().toEqualTypeOf<true>();
void api;
