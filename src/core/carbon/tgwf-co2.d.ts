// @tgwf/co2 0.19.0 ships no type declarations. This covers the one export the lab reads, the
// `./data` entry point of its package.json `exports` map (dist/esm/data.js).
declare module '@tgwf/co2/data' {
  /** Ember annual average grid intensity in gCO2e/kWh, keyed by ISO 3166-1 alpha-3 code or a region name like WORLD. */
  export const averageIntensity: {
    readonly data: Readonly<Record<string, number>>;
    readonly type: string;
  };
}
