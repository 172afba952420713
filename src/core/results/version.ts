/** The lab's version, from package.json, so a result link says which release produced it. */
import pkg from '../../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
