/**
 * The flags of `graphon-pai experiment`: one declarative table from which the command's options and help
 * (`command-table/experiment.ts`), the configuration of a run (`resolveConfig`) and the report's reproducing
 * command (`reproducingCommand`) are all derived.
 *
 * A row names a configuration key, its flag (the key in kebab case, as `@graphon-pai/experiments`' checks name
 * it), how the flag's text is parsed and what every value must be. Which flags a preset accepts, and their
 * defaults, come from the preset's `defaults` (`@graphon-pai/experiments`' `presets`): a flag whose key a
 * preset has no default for is refused with that preset, naming the presets it applies to.
 * This module is light on purpose: `--help` loads it and no library.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { optionOf } from '@graphon-pai/experiments';
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

const textValue: Parser = (text) => text.trim();

const choice: Parser = (text) => text;

/** `a,b`: two distinct non-negative integers (class labels). */
const pair: Parser = (text) => parseClasses(text);

/** A row whose flag is its key in kebab case (`rowBlocks` → `--row-blocks`); numbers unless told. */
const row = (key: string, arg: string, help: string, parse: Parser = number): ExperimentFlag => ({
  key,
  flag: optionOf(key),
  arg,
  help,
  parse,
});

/** A row whose value is one of `choices`. */
const choiceRow = (key: string, arg: string, help: string, choices: readonly string[]): ExperimentFlag => ({
  ...row(key, arg, help, choice),
  choices,
});

/** Every flag of every preset, in the order the reproducing command writes them. */
export const EXPERIMENT_FLAGS: readonly ExperimentFlag[] = [
  row('criteria', '<ids>', 'comma-separated criterion ids', textList),
  row('widths', '<list>', 'hidden widths n (with --net: channel multipliers m)', numberList),
  row('densities', '<list>', 'kept fractions swept', numberList),
  row('seeds', '<list>', 'seeds: each fixes the initialisation and the data drawn', numberList),
  row('density', '<p>', 'kept fraction of every layer'),
  choiceRow('loss', '<name>', 'loss of data-driven criteria', ['cross-entropy', 'mse']),
  row('samples', '<n>', 'digits per scoring batch (ntk: the binary task’s m)'),
  row('rowBlocks', '<k>', 'row blocks of the mask graphon'),
  row('colBlocks', '<l>', 'column blocks of the canonical histogram'),
  row('bootstrap', '<b>', 'homogeneity-test replicates'),
  row('alpha', '<a>', 'homogeneity-test level'),
  row('referenceWidth', '<N>', 'fresh neurons of the plug-in limit (0 = 8 × the widest width)'),
  choiceRow(
    'outputAtInit',
    '<mode>',
    "'zero' pairs neurons (w, ±a) so the output vanishes at init and the limit is deterministic",
    ['network', 'zero'],
  ),
  row(
    'net',
    '<name>',
    "a conv network whose --layer is studied across --widths multipliers: lenet5, vgg-small or 'conv:<spec>'",
    textValue,
  ),
  row('layer', '<name>', 'the convolution studied with --net, e.g. features.3', textValue),
  row(
    'wideMultiplier',
    '<m>',
    'channel multiplier of the conv study’s wide-mask reference (default 2 × the widest)',
  ),
  row('classes', '<a,b>', 'the binary MNIST task: digit a → +1, digit b → −1', pair),
  choiceRow('layers', '<which>', "trained layers of the NTK ('hidden' = H^∞)", ['both', 'hidden']),
  row('ridge', '<λ>', 'explicit ridge added to K'),
  row('delta', '<δ>', 'failure probability of the bound'),
  row('k', '<k>', 'size of S, the k densest active inputs'),
  row('threshold', '<τ>', 'column density above which an input is active'),
  row('epochs', '<n>', 'epochs of SGD training of every pruned network'),
  row('lr', '<η>', 'learning rate of that training'),
  row('minNeurons', '<t>', 'target number of fully connected neurons'),
];

/** A configuration value as a flag writes it (lists comma-joined). */
export const flagText = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

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
    if (key in defaults && flagText(config[key]) !== flagText(defaults[key]))
      out.push(`${flag} ${flagText(config[key])}`);
  }
  return out.join(' ');
}
