/** Every sub-command of `graphon-pai`, in the order `--help` lists them. */
import type { CommandRegistrar } from './registrar';
import { boundsCommand } from './bounds';
import { cutCommand } from './cut';
import { experimentCommand } from './experiment';
import { graphonCommand } from './graphon';
import { inspectCommand } from './inspect';
import { limitCommand } from './limit';
import { pluginsCommand } from './plugins';
import { pruneCommand } from './prune';
import { trainCommand } from './train';

export const commands: CommandRegistrar[] = [
  experimentCommand,
  pluginsCommand,
  inspectCommand,
  pruneCommand,
  trainCommand,
  cutCommand,
  graphonCommand,
  limitCommand,
  boundsCommand,
];
