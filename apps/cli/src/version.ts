import pkg from '../package.json';

/** The CLI's own package version. */
export const version: string = pkg.version;
