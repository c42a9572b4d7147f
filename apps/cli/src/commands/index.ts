/** Every sub-command of `graphon-pai`, in the order `--help` lists them. */
import type { CommandRegistrar } from '../cli';

export const commands: CommandRegistrar[] = [];
