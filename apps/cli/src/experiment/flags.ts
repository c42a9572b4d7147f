/**
 * The flags of `graphon-pai experiment`: one declarative table from which the command's options and help
 * (`command-table/experiment.ts`), the configuration of a run (`resolveConfig`) and the report's reproducing
 * command (`reproducingCommand`) are all derived.
 *
 * A row names a configuration key, its flag, how the flag's text is parsed and what every value must be.
 * Which flags a preset accepts, and their defaults, come from the preset's `defaults` (`presets/index.ts`): a
 * flag whose key a preset has no default for is refused with that preset, naming the presets it applies to.
 * This module is light on purpose: `--help` loads it and no library.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { parseClasses } from '../options';

/** Parses a flag's text into its value; throws {@link InvalidArgumentError} naming the flag. */
type Parser = (text: string, flag: string) => unknown;

export interface ExperimentFlag {
  /** The configuration key the flag sets. */
  key: string;
  flag: string;
  /** The value placeholder shown in `--help`, e.g. `<list>`. */
  arg: string;
  help: string;
  parse: Parser;
  /** The values the flag accepts, when it is a choice. */
  choices?: readonly string[];
}

const number: Parser = (text, flag) => {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(flag, text, 'a number');
  return x;
};

const numberList: Parser = (text, flag) => {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (text.trim() === '' || parts.some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError(flag, text, 'a comma-separated list of numbers');
  return parts;
};

const textList: Parser = (text) => text.split(',').map((s) => s.trim());

const choice: Parser = (text) => text;

/** `a,b`: two distinct non-negative integers (class labels). */
const pair: Parser = (text) => parseClasses(text);

/** Every flag of every preset, in the order the reproducing command writes them. */
export const EXPERIMENT_FLAGS: readonly ExperimentFlag[] = [
  { key: 'criteria', flag: '--criteria', arg: '<ids>', help: 'comma-separated criterion ids', parse: textList },
  { key: 'widths', flag: '--widths', arg: '<list>', help: 'hidden widths n', parse: numberList },
  { key: 'densities', flag: '--densities', arg: '<list>', help: 'kept fractions swept', parse: numberList },
  { key: 'seeds', flag: '--seeds', arg: '<list>', help: 'seeds: each fixes the initialisation and the data drawn', parse: numberList },
  { key: 'density', flag: '--density', arg: '<p>', help: 'kept fraction of every layer', parse: number },
  {
    key: 'loss',
    flag: '--loss',
    arg: '<name>',
    help: 'loss of data-driven criteria',
    parse: choice,
    choices: ['cross-entropy', 'mse'],
  },
  { key: 'samples', flag: '--samples', arg: '<n>', help: 'digits per scoring batch (ntk: the binary task’s m)', parse: number },
  { key: 'rowBlocks', flag: '--row-blocks', arg: '<k>', help: 'row blocks of the mask graphon', parse: number },
  { key: 'colBlocks', flag: '--col-blocks', arg: '<l>', help: 'column blocks of the canonical histogram', parse: number },
  { key: 'bootstrap', flag: '--bootstrap', arg: '<b>', help: 'homogeneity-test replicates', parse: number },
  { key: 'alpha', flag: '--alpha', arg: '<a>', help: 'homogeneity-test level', parse: number },
  {
    key: 'referenceWidth',
    flag: '--reference-width',
    arg: '<N>',
    help: 'fresh neurons of the plug-in limit (0 = 8 × the widest width)',
    parse: number,
  },
  {
    key: 'outputAtInit',
    flag: '--output-at-init',
    arg: '<mode>',
    help: "'zero' pairs neurons (w, ±a) so the output vanishes at init and the limit is deterministic",
    parse: choice,
    choices: ['network', 'zero'],
  },
  { key: 'classes', flag: '--classes', arg: '<a,b>', help: 'the binary MNIST task: digit a → +1, digit b → −1', parse: pair },
  {
    key: 'layers',
    flag: '--layers',
    arg: '<which>',
    help: "trained layers of the NTK ('hidden' = H^∞)",
    parse: choice,
    choices: ['both', 'hidden'],
  },
  { key: 'ridge', flag: '--ridge', arg: '<λ>', help: 'explicit ridge added to K', parse: number },
  { key: 'delta', flag: '--delta', arg: '<δ>', help: 'failure probability of the bound', parse: number },
  { key: 'k', flag: '--k', arg: '<k>', help: 'size of S, the k densest active inputs', parse: number },
  { key: 'threshold', flag: '--threshold', arg: '<τ>', help: 'column density above which an input is active', parse: number },
  { key: 'epochs', flag: '--epochs', arg: '<n>', help: 'epochs of SGD training of every pruned network', parse: number },
  { key: 'lr', flag: '--lr', arg: '<η>', help: 'learning rate of that training', parse: number },
  { key: 'minNeurons', flag: '--min-neurons', arg: '<t>', help: 'target number of fully connected neurons', parse: number },
];

/** The flag of a configuration key (`rowBlocks` → `--row-blocks`). */
export function flagOf(key: string): string {
  return EXPERIMENT_FLAGS.find((f) => f.key === key)?.flag ?? key;
}

const text = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));

/**
 * The command that reproduces a configuration: `graphon-pai experiment`, `--preset NAME` unless it is the
 * default preset, then every flag whose value differs from the preset's default, in table order (lists
 * comma-joined). Reports record this rather than the argv, so a merged report equals the single-run one.
 */
export function reproducingCommand(
  config: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  defaultPreset: string,
): string {
  const out = ['graphon-pai experiment'];
  if (config.preset !== defaultPreset) out.push(`--preset ${config.preset}`);
  for (const { key, flag } of EXPERIMENT_FLAGS) {
    if (key in defaults && text(config[key]) !== text(defaults[key])) out.push(`${flag} ${text(config[key])}`);
  }
  return out.join(' ');
}

/** Checks that `value` is an integer in [min, max], naming the flag of `key`. */
export function checkInteger(key: string, value: unknown, min: number, max: number): void {
  if (!(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
    throw new InvalidArgumentError(flagOf(key), value, `an integer in [${min}, ${max}]`);
  }
}

/** `--criteria`: a non-empty list. */
export function checkCriteria(criteria: unknown): void {
  if (!(Array.isArray(criteria) && criteria.length > 0 && criteria.every((c) => typeof c === 'string' && c !== ''))) {
    throw new InvalidArgumentError('--criteria', criteria, 'a non-empty comma-separated list, e.g. snip,random');
  }
}

/** `--seeds`: distinct non-negative safe integers. */
export function checkSeeds(seeds: readonly number[]): void {
  if (!(seeds.length >= 1 && seeds.every((s) => Number.isSafeInteger(s) && s >= 0))) {
    throw new InvalidArgumentError('--seeds', seeds.join(','), 'non-negative integers, e.g. 0,1,2');
  }
  if (new Set(seeds).size !== seeds.length) {
    throw new InvalidArgumentError('--seeds', seeds.join(','), 'distinct integers (each seed is one job)', {
      fix: 'list each seed once',
    });
  }
}

/**
 * Kept fractions in (0, 1], distinct; with `fewestWeights` (the smallest studied mask's size N), each must keep
 * at least one weight: masks keep round(p · N), so `--density 1e-300` is an error, not an empty mask.
 */
export function checkDensities(key: 'density' | 'densities', values: readonly number[], fewestWeights?: number): void {
  if (!(values.length >= 1 && values.every((p) => p > 0 && p <= 1))) {
    throw new InvalidArgumentError(
      flagOf(key),
      values.join(','),
      key === 'density' ? 'a number in (0, 1] (the kept fraction)' : 'kept fractions in (0, 1], e.g. 0.05,0.1,0.2',
      { fix: `pass e.g. ${flagOf(key)} 0.1 to keep 10 % of the weights` },
    );
  }
  if (new Set(values).size !== values.length) {
    throw new InvalidArgumentError(flagOf(key), values.join(','), 'distinct kept fractions', { fix: 'list each once' });
  }
  const empty = fewestWeights === undefined ? undefined : values.find((p) => Math.round(p * fewestWeights) < 1);
  if (empty !== undefined && fewestWeights !== undefined) {
    throw new InvalidArgumentError(
      flagOf(key),
      empty,
      `a kept fraction that keeps at least one of the ${fewestWeights} weights of the smallest studied mask`,
      { fix: `pass at least ${(0.5 / fewestWeights).toPrecision(2)}` },
    );
  }
}
