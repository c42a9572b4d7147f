/**
 * Configuration of the `ntk` and `uat` presets of `graphon-pai experiment` (theory.md §5–6): defaults,
 * the keys each preset accepts, validation, and the command that reproduces a configuration.
 *
 * Both presets sweep criteria × seeds (the jobs) × widths × densities; `ntk` adds the binary MNIST task
 * (`classes`, `samples` digits), the trained `layers`, `ridge` and δ of the Graphon-NTK bound; `uat` adds
 * |S| = `k`, the activity threshold τ and the target count `minNeurons` of the UAT verdict.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { reproducingCommand } from '../command-line';
import { checkCriteria, checkLoss, checkSeeds } from '../config';

export type PresetName = 'ntk' | 'uat';

export interface PresetConfig {
  preset: PresetName;
  criteria: string[];
  widths: number[];
  densities: number[];
  seeds: number[];
  loss: 'cross-entropy' | 'mse';
  /** ntk: m, the binary task's samples (scoring and bound); uat: the MNIST scoring batch. */
  samples: number;
  /** Row blocks of the mask's graphon. */
  rowBlocks: number;
  /** ntk only. */
  classes?: [number, number];
  layers?: 'both' | 'hidden';
  ridge?: number;
  delta?: number;
  /** uat only: |S| (the k densest active inputs), activity threshold τ, target count. */
  k?: number;
  threshold?: number;
  minNeurons?: number;
}

const COMMON = {
  criteria: ['random', 'magnitude', 'snip', 'grasp', 'synflow'],
  seeds: [0],
  loss: 'cross-entropy' as const,
  rowBlocks: 32,
};

export const PRESET_DEFAULTS: Record<PresetName, PresetConfig> = {
  ntk: {
    preset: 'ntk',
    ...COMMON,
    widths: [512],
    densities: [0.05, 0.1, 0.2, 0.5],
    samples: 500,
    classes: [3, 5],
    layers: 'both',
    ridge: 0,
    delta: 0.05,
  },
  uat: {
    preset: 'uat',
    ...COMMON,
    widths: [1024],
    densities: [0.05, 0.1, 0.2],
    samples: 512,
    k: 4,
    threshold: 0.01,
    minNeurons: 32,
  },
};

/** Keys each preset accepts (anything else was meant for another preset). */
const SHARED_KEYS = ['preset', 'criteria', 'widths', 'densities', 'seeds', 'loss', 'samples', 'rowBlocks'];
const KEYS: Record<PresetName, readonly string[]> = {
  ntk: [...SHARED_KEYS, 'classes', 'layers', 'ridge', 'delta'],
  uat: [...SHARED_KEYS, 'k', 'threshold', 'minNeurons'],
};

export const FLAG_OF: Record<string, string> = {
  criteria: '--criteria',
  widths: '--widths',
  densities: '--densities',
  seeds: '--seeds',
  loss: '--loss',
  samples: '--samples',
  rowBlocks: '--row-blocks',
  classes: '--classes',
  layers: '--layers',
  ridge: '--ridge',
  delta: '--delta',
  k: '--k',
  threshold: '--threshold',
  minNeurons: '--min-neurons',
  density: '--density (use --densities)',
  bootstrap: '--bootstrap',
  alpha: '--alpha',
  colBlocks: '--col-blocks',
};

/** Validates a preset configuration and fills its defaults. */
export function resolvePresetConfig(partial: Partial<PresetConfig> & { preset: PresetName }): PresetConfig {
  const d = PRESET_DEFAULTS[partial.preset];
  if (!d) throw new InvalidArgumentError('--preset', partial.preset, "'taxonomy', 'ntk' or 'uat'");
  for (const key of Object.keys(partial)) {
    if (!KEYS[partial.preset].includes(key)) {
      throw new InvalidArgumentError(
        FLAG_OF[key] ?? key,
        (partial as Record<string, unknown>)[key],
        `absent with --preset ${partial.preset}`,
        {
          fix: `it applies to another preset; drop it`,
        },
      );
    }
  }
  const c: PresetConfig = { ...d, ...partial };
  checkCriteria(c.criteria);
  if (!(c.widths.length >= 1 && c.widths.every((w) => Number.isInteger(w) && w >= 4))) {
    throw new InvalidArgumentError('--widths', c.widths.join(','), 'integers ≥ 4, e.g. 512');
  }
  if (!(c.densities.length >= 1 && c.densities.every((p) => p > 0 && p <= 1))) {
    throw new InvalidArgumentError(
      '--densities',
      c.densities.join(','),
      'kept fractions in (0, 1], e.g. 0.05,0.1,0.2',
    );
  }
  checkSeeds(c.seeds);
  checkLoss(c.loss);
  const int = (name: string, v: number, min: number, max: number) => {
    if (!(Number.isInteger(v) && v >= min && v <= max))
      throw new InvalidArgumentError(name, v, `an integer in [${min}, ${max}]`);
  };
  int('--samples', c.samples, c.preset === 'ntk' ? 2 : 1, c.preset === 'ntk' ? 1726 : 8630);
  int('--row-blocks', c.rowBlocks, 1, 1 << 20);
  if (c.preset === 'ntk') {
    const [a, b] = (c.classes ?? [-1, -1]) as number[];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a !== b && a >= 0 && a <= 9 && b >= 0 && b <= 9)) {
      throw new InvalidArgumentError('--classes', c.classes, 'two distinct MNIST digits a,b', {
        fix: 'e.g. --classes 3,5',
      });
    }
    if (c.layers !== 'both' && c.layers !== 'hidden')
      throw new InvalidArgumentError('--layers', c.layers, "'both' or 'hidden'");
    if (!(typeof c.ridge === 'number' && c.ridge >= 0))
      throw new InvalidArgumentError('--ridge', c.ridge, 'a number ≥ 0');
    if (!(typeof c.delta === 'number' && c.delta > 0 && c.delta < 1))
      throw new InvalidArgumentError('--delta', c.delta, 'a number in (0, 1)');
  } else {
    int('--k', c.k as number, 1, 784);
    if (!(typeof c.threshold === 'number' && c.threshold >= 0 && c.threshold < 1)) {
      throw new InvalidArgumentError('--threshold', c.threshold, 'a number in [0, 1)');
    }
    if (!(typeof c.minNeurons === 'number' && c.minNeurons > 0)) {
      throw new InvalidArgumentError('--min-neurons', c.minNeurons, 'a positive number');
    }
  }
  return c;
}

/** The command that reproduces a preset configuration (flags that differ from the preset's defaults). */
export function presetCommand(config: PresetConfig): string {
  const keys = KEYS[config.preset].filter((key) => key !== 'preset');
  return reproducingCommand(
    config,
    PRESET_DEFAULTS[config.preset],
    keys.map((key) => [key, FLAG_OF[key]] as const),
    [`--preset ${config.preset}`],
  );
}
