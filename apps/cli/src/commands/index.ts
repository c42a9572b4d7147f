/** Every sub-command of `graphon-pai`, in the order `--help` lists them. */
import type { CommandRegistrar } from '../cli';
import { experimentCommand } from './experiment';
import { pluginsCommand } from './plugins';

export const commands: CommandRegistrar[] = [experimentCommand, pluginsCommand];
