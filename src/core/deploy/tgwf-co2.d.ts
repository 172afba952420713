// @tgwf/co2 0.19.0 ships no type declarations. This covers the part of its main entry point
// (dist/esm/index.js, co2.js) the deployment module calls: the CO2 class and perByte.
declare module '@tgwf/co2' {
  export interface Co2Options {
    /** 'swd' is the Sustainable Web Design model; '1byte' the older OneByte model. */
    readonly model?: 'swd' | '1byte';
    /** Version of the SWD model: 3 or 4 (the default in 0.19). */
    readonly version?: 3 | 4;
    readonly segments?: boolean;
    readonly rating?: boolean;
  }
  export class co2 {
    constructor(options?: Co2Options);
    /** Grams CO2e of transferring `bytes` (0 below one byte); `green` hosting zeroes the data centre's operational share. */
    perByte(bytes: number, green?: boolean): number;
  }
}
