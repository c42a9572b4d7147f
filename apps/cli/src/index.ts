/**
 * @packageDocumentation
 * The graphon-pai command line, also usable as a library: `runCli(['experiment', '--json'])`.
 */
export { type CommandRegistrar, runCli } from './cli';
export { parseSeed, withCommonOptions } from './options';
export { type CliIo, emit, type GlobalOptions, processIo } from './io';
