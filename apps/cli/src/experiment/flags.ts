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
