/**
 * Branded number types for physical quantities. Energy code mixes joules, watt-hours,
 * kWh, grams and g/kWh; a brand makes a mix-up a compile error instead of a wrong figure.
 * Brands cost nothing at run time: construct them with the helpers below.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Seconds = Brand<number, 'Seconds'>;
export type Milliseconds = Brand<number, 'Milliseconds'>;
export type Watts = Brand<number, 'Watts'>;
export type Joules = Brand<number, 'Joules'>;
export type WattHours = Brand<number, 'WattHours'>;
export type KilowattHours = Brand<number, 'KilowattHours'>;
export type GramsCO2e = Brand<number, 'GramsCO2e'>;
export type GramsCO2PerKWh = Brand<number, 'GramsCO2PerKWh'>;
/** A fraction in [0, 1], e.g. a busy fraction or a share of a saving. */
export type Fraction = Brand<number, 'Fraction'>;

export const seconds = (n: number): Seconds => n as Seconds;
export const milliseconds = (n: number): Milliseconds => n as Milliseconds;
export const watts = (n: number): Watts => n as Watts;
export const joules = (n: number): Joules => n as Joules;
export const wattHours = (n: number): WattHours => n as WattHours;
export const kilowattHours = (n: number): KilowattHours => n as KilowattHours;
export const gramsCO2e = (n: number): GramsCO2e => n as GramsCO2e;
export const gramsPerKWh = (n: number): GramsCO2PerKWh => n as GramsCO2PerKWh;
export const fraction = (n: number): Fraction => n as Fraction;

/** 1 Wh = 3600 J (SI definition of the watt-hour). */
export const JOULES_PER_WATT_HOUR = 3600;

export const joulesFromPower = (power: Watts, duration: Seconds): Joules => joules(power * duration);
export const wattHoursFromJoules = (e: Joules): WattHours => wattHours(e / JOULES_PER_WATT_HOUR);
export const kWhFromJoules = (e: Joules): KilowattHours => kilowattHours(e / (JOULES_PER_WATT_HOUR * 1000));
export const kWhFromWattHours = (e: WattHours): KilowattHours => kilowattHours(e / 1000);
export const carbonFromEnergy = (e: KilowattHours, intensity: GramsCO2PerKWh): GramsCO2e =>
  gramsCO2e(e * intensity);
