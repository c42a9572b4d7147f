import type { Command } from 'commander';
import type { CliIo } from '../io';

/** A sub-command module: adds its command (with options and action) to the program. */
export type CommandRegistrar = (program: Command, io: CliIo) => void;
