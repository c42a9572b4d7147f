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

/** A string flag that must be one of `allowed` (the library's list, e.g. nets' `INIT_KINDS`). */
export function parseChoice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(flag, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** A numeric flag: a finite number for which `ok` holds (`expected` says which, in the error). */
export function parseNumber(
  value: string | undefined,
  flag: string,
  expected: string,
  ok: (x: number) => boolean = () => true,
): number {
  const x = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(x) || !ok(x)) {
    throw new InvalidArgumentError(flag, value, expected);
  }
  return x;
}

/** An integer flag ≥ `min` (default 1). */
export function parseInteger(value: string | undefined, flag: string, min = 1): number {
  return parseNumber(
    value,
    flag,
    min === 1 ? 'a positive integer' : `an integer ≥ ${min}`,
    (x) => Number.isSafeInteger(x) && x >= min,
  );
}
