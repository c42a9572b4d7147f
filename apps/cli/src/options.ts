/** Options and argument parsers shared by every sub-command. */
import { InvalidArgumentError } from '@graphon-pai/core';
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

/** Parses `--classes a,b` (two distinct non-negative integers). */
export function parseClasses(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (
    !(parts.length === 2 && parts.every((c) => Number.isSafeInteger(c) && c >= 0) && parts[0] !== parts[1])
  ) {
    throw new InvalidArgumentError('--classes', value, "two distinct class labels 'a,b' (a → +1, b → −1)", {
      fix: 'e.g. --classes 3,5',
    });
  }
  return [parts[0], parts[1]];
}
