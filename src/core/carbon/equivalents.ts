import type { GramsCO2e, KilowattHours } from '../units';

/**
 * CO2 of an average European passenger car per km driven, in grams. Green Algorithms
 * (green-algorithms-tool, data/v2.2/referenceValues.csv, `passengerCar_EU_perkm`), citing
 * Atmospheric Environment (2019, doi:10.1016/j.atmosenv.2018.09.032) and the UK government's
 * 2019 greenhouse gas conversion factors.
 */
export const CAR_GRAMS_PER_KM = 175;

/**
 * Electricity to charge a smartphone once, in kWh. US EPA, "Greenhouse Gas Equivalencies
 * Calculator: Calculations and References" (2024 revision), number of smartphones charged.
 * Compared with the run's energy, not its carbon: both draw on the same grid.
 */
export const PHONE_CHARGE_KWH = 0.019;

/**
 * CO2 one tree takes up in a month, in grams: 11 kg a year divided by 12. Green Algorithms
 * (data/v2.2/referenceValues.csv, `tree_month` and `treeYear`), citing Environmental Pollution
 * 116 (2002) 381-389, doi:10.1016/S0269-7491(01)00214-7.
 */
export const TREE_MONTH_GRAMS = 917;

/** One everyday comparison for a run. */
export interface Equivalent {
  readonly id: 'car-km' | 'phone-charges' | 'tree-months';
  /** Number of units, e.g. 0.42 km. */
  readonly value: number;
  /** Plural unit for people, e.g. "km driven by an average European car". */
  readonly unit: string;
  /** Whether the comparison divides the run's carbon or its energy. */
  readonly basis: 'carbon' | 'energy';
  /** The constant divided by, with its unit, e.g. "175 gCO2e per km". */
  readonly constant: string;
  readonly source: string;
}

/** Everyday comparisons for a run's carbon and energy. Pure. */
export function equivalents(carbon: GramsCO2e, energy: KilowattHours): readonly Equivalent[] {
  return [
    {
      id: 'car-km', value: carbon / CAR_GRAMS_PER_KM, unit: 'km driven by an average European car', basis: 'carbon',
      constant: `${CAR_GRAMS_PER_KM} gCO2e per km`, source: 'Green Algorithms reference values (passengerCar_EU_perkm)',
    },
    {
      id: 'phone-charges', value: energy / PHONE_CHARGE_KWH, unit: 'smartphone charges', basis: 'energy',
      constant: `${PHONE_CHARGE_KWH} kWh per charge`, source: 'US EPA Greenhouse Gas Equivalencies Calculator (2024)',
    },
    {
      id: 'tree-months', value: carbon / TREE_MONTH_GRAMS, unit: 'months of CO2 uptake by one tree', basis: 'carbon',
      constant: `${TREE_MONTH_GRAMS} gCO2 per tree-month`, source: 'Green Algorithms reference values (tree_month)',
    },
  ];
}
