/**
 * Every experiment preset, by name (`presets.taxonomy`, …), in the order `--help` lists them; the first,
 * `taxonomy`, is the default. Adding a preset means adding its descriptor here (and, for the CLI, the rows of
 * its new configuration keys to the experiment flag table).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { optionOf } from '../checks';
import type { PresetConfig, PresetDescriptor } from '../preset';
import { type AccuracyConfig, accuracyPreset } from './accuracy/config';
import type { AccuracyResult } from './accuracy/run';
import { type JointConfig, jointPreset } from './joint/config';
import type { JointResult } from './joint/run';
import { type NtkConfig, ntkPreset } from './ntk/config';
import type { NtkResult } from './ntk/run';
import { type TaxonomyConfig, taxonomyPreset } from './taxonomy/config';
import type { TaxonomyResult } from './taxonomy/run';
import { type UatConfig, uatPreset } from './uat/config';
import type { UatResult } from './uat/run';

/** The configuration of each preset, by name. */
export interface PresetConfigs {
  taxonomy: TaxonomyConfig;
  ntk: NtkConfig;
  uat: UatConfig;
  joint: JointConfig;
  accuracy: AccuracyConfig;
}

/** The job result of each preset, by name. */
export interface PresetResults {
  taxonomy: TaxonomyResult;
  ntk: NtkResult;
  uat: UatResult;
  joint: JointResult;
  accuracy: AccuracyResult;
}

export type PresetName = keyof PresetConfigs;

export const presets: { readonly [N in PresetName]: PresetDescriptor<PresetConfigs[N], PresetResults[N]> } = {
  taxonomy: taxonomyPreset,
  ntk: ntkPreset,
  uat: uatPreset,
  joint: jointPreset,
  accuracy: accuracyPreset,
};

export const DEFAULT_PRESET: PresetName = 'taxonomy';

/** The descriptor of a preset name; an InvalidArgumentError naming `--preset` and the choices otherwise. */
export function presetNamed<N extends PresetName>(
  name: N,
): PresetDescriptor<PresetConfigs[N], PresetResults[N]>;
export function presetNamed(name: unknown): PresetDescriptor<PresetConfig>;
export function presetNamed(name: unknown): PresetDescriptor<PresetConfig> {
  if (typeof name !== 'string' || !Object.hasOwn(presets, name)) {
    throw new InvalidArgumentError(
      '--preset',
      name,
      Object.keys(presets)
        .map((p) => `'${p}'`)
        .join(', '),
    );
  }
  return presets[name as PresetName] as unknown as PresetDescriptor<PresetConfig>;
}

/**
 * A preset's defaults (`given.preset`, default `taxonomy`) overridden by the values of `given` that are not
 * undefined, unchecked. A key the preset has no default for is an InvalidArgumentError naming its option and
 * the presets it applies to.
 */
export function withDefaults(given: Readonly<Record<string, unknown>>): PresetConfig {
  const preset = presetNamed(given.preset ?? DEFAULT_PRESET);
  for (const [key, value] of Object.entries(given)) {
    if (key === 'preset' || value === undefined) continue;
    if (!(key in preset.defaults)) {
      const others = Object.values(presets)
        .filter((p) => key in p.defaults)
        .map((p) => p.name);
      throw new InvalidArgumentError(optionOf(key), value, `absent with --preset ${preset.name}`, {
        fix: others.length > 0 ? `it applies to --preset ${others.join(', ')}; drop it` : 'drop it',
      });
    }
  }
  const config = { ...preset.defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) config[key] = value;
  config.preset = preset.name;
  return config as unknown as PresetConfig;
}

/**
 * The configuration of a run: {@link withDefaults}, then the preset's checks (an InvalidArgumentError naming
 * the option of the first value out of range).
 *
 * @example
 * const config = presetConfig({ preset: 'taxonomy', criteria: ['snip'], widths: [64, 128], seeds: [0] });
 */
export function presetConfig<N extends PresetName>(
  given: { preset: N } & Partial<PresetConfigs[N]>,
): PresetConfigs[N];
export function presetConfig(given: Readonly<Record<string, unknown>>): PresetConfig;
export function presetConfig(given: Readonly<Record<string, unknown>>): PresetConfig {
  const config = withDefaults(given);
  presetNamed(config.preset).validate(config);
  return config;
}
