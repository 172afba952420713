/**
 * The unit of a trace's intensity column, read from its header: `gCO2/kWh`, `kgCO2/kWh`,
 * `lb/MWh` (WattTime's `lbs_co2_per_mwh`, EIA's emission rates), and the same masses per MWh.
 */
import { GRAMS_PER_POUND } from '../carbon/providers/watttime';

/** A recognised unit and the factor that turns its values into gCO2/kWh. */
export interface IntensityUnit {
  /** As the note writes it, e.g. "kgCO2/kWh". */
  readonly label: string;
  readonly toGramsPerKWh: number;
  /** True when the header named no unit and gCO2/kWh was assumed. */
  readonly assumed: boolean;
}

/** Grams per mass unit: g, kg, metric tonne (1000 kg), avoirdupois pound (exact, see GRAMS_PER_POUND). */
const GRAMS: Readonly<Record<string, { grams: number; label: string }>> = {
  g: { grams: 1, label: 'g' },
  kg: { grams: 1000, label: 'kg' },
  t: { grams: 1_000_000, label: 't' },
  tonne: { grams: 1_000_000, label: 't' },
  tonnes: { grams: 1_000_000, label: 't' },
  lb: { grams: GRAMS_PER_POUND, label: 'lb' },
  lbs: { grams: GRAMS_PER_POUND, label: 'lb' },
};
const KWH_PER: Readonly<Record<string, number>> = { kwh: 1, mwh: 1000 };

export const GRAMS_PER_KWH: IntensityUnit = { label: 'gCO2/kWh', toGramsPerKWh: 1, assumed: false };
const ASSUMED: IntensityUnit = { ...GRAMS_PER_KWH, assumed: true };

/** mass, optional gas (co2, co2e, co2eq), "/" or "per", energy: `kgCO2/kWh`, `lbs_co2_per_mwh`, `g/kWh`. */
const UNIT = /^(g|kg|t|tonnes?|lbs?)[\s_-]*(?:co2(?:e|eq|-eq)?)?[\s_-]*(?:\/|per)[\s_-]*(kwh|mwh)$/;
/** A mass glued to the gas, without the energy: "gco2", "kgco2e" (a header like `kgCO2`, read per kWh). */
const MASS_ONLY = /^(g|kg|lbs?)co2(?:e|eq)?$/;

/**
 * The unit of an intensity header, or a string naming the unit text that was not recognised.
 * The unit is looked for in brackets (`intensity (kgCO2/kWh)`), else in the whole name or its
 * trailing words (`carbon_intensity_g_per_kwh`). A name without unit text reads as gCO2/kWh.
 */
export function intensityUnitOf(header: string): IntensityUnit | { unrecognised: string } {
  const original = header.trim();
  const h = original.toLowerCase().replace(/₂/g, '2');
  const bracket = /[([]([^)\]]*)[)\]]/.exec(h);
  const inside = bracket?.[1]?.trim();
  const candidates = inside !== undefined ? [inside] : tailsOf(h);
  for (const c of candidates) {
    const unit = unitFrom(c);
    if (unit !== null) return unit;
  }
  // Quote the header's own spelling of the unit text, not the lower-cased form.
  if (bracket?.[1] !== undefined) return { unrecognised: original.slice(bracket.index + 1, bracket.index + 1 + bracket[1].length).trim() };
  const slash = /\S*(\/|\bper\b)\S*/.exec(h);
  if (slash !== null) return { unrecognised: original.slice(slash.index, slash.index + slash[0].length) };
  return ASSUMED;
}

/** The whole header and its word suffixes, longest first: "ci_kg_per_kwh" -> ["ci_kg_per_kwh", "kg_per_kwh", ...]. */
function tailsOf(h: string): string[] {
  const words = h.split(/[\s_]+/).filter((w) => w !== '');
  return words.map((_, i) => words.slice(i).join('_'));
}

function unitFrom(text: string): IntensityUnit | null {
  const m = UNIT.exec(text);
  const mass = m?.[1] ?? MASS_ONLY.exec(text)?.[1];
  if (mass === undefined) return null;
  const energy = m?.[2] ?? 'kwh';
  const g = GRAMS[mass];
  const kwh = KWH_PER[energy];
  if (g === undefined || kwh === undefined) return null;
  const label = `${g.label}CO2/${energy === 'kwh' ? 'kWh' : 'MWh'}`;
  return { label, toGramsPerKWh: g.grams / kwh, assumed: false };
}
