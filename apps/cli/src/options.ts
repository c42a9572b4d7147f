/** Options and argument parsers shared by every sub-command. */
import { type Command, InvalidArgumentError as CommanderInvalidArgument, Option } from 'commander';

/** Parses a `--seed` value: a non-negative safe integer. */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    throw new CommanderInvalidArgument('expected a non-negative integer, e.g. --seed 42');
  }
  return n;
}

/** Options shared by every sub-command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print machine-readable JSON results on stdout')
    .addOption(new Option('--seed <n>', 'seed of every random choice').argParser(parseSeed).default(0));
}
