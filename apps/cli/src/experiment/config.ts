/**
 * The configuration of an experiment run: the chosen preset's defaults overridden by the flags given (or by a
 * shard folder's recorded configuration), every value checked against its flag row (`flags.ts`) and the
 * preset's own checks. A flag the preset has no default for is refused, naming the presets it applies to.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { EXPERIMENT_FLAGS, flagOf, reproducingCommand } from './flags';
import type { PresetConfig, PresetDescriptor } from './preset';
import { DEFAULT_PRESET, PRESETS } from './presets';

/** The descriptor of a preset name. */
export function presetNamed(name: unknown): PresetDescriptor {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) {
    throw new InvalidArgumentError('--preset', name, PRESETS.map((p) => `'${p.name}'`).join(', '));
  }
  return preset;
}

/** Validates a configuration (from flags or a shard folder) and fills the preset's defaults. */
export function resolveConfig(given: Readonly<Record<string, unknown>>): PresetConfig {
  const preset = presetNamed(given.preset ?? DEFAULT_PRESET);
  for (const [key, value] of Object.entries(given)) {
    if (key === 'preset' || value === undefined) continue;
    if (!(key in preset.defaults)) {
      const others = PRESETS.filter((p) => key in p.defaults).map((p) => p.name);
      throw new InvalidArgumentError(flagOf(key), value, `absent with --preset ${preset.name}`, {
        fix: others.length > 0 ? `it applies to --preset ${others.join(', ')}; drop it` : 'drop it',
      });
    }
  }
  const config = { ...preset.defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) config[key] = value;
  config.preset = preset.name;
  for (const row of EXPERIMENT_FLAGS) {
    if (row.choices && row.key in config && !row.choices.includes(String(config[row.key]))) {
      throw new InvalidArgumentError(
        row.flag,
        config[row.key],
        row.choices.map((c) => `'${c}'`).join(' or '),
      );
    }
  }
  preset.validate(config as unknown as PresetConfig);
  return config as unknown as PresetConfig;
}

/** The command that reproduces a resolved configuration. */
export function canonicalCommand(config: PresetConfig): string {
  return reproducingCommand(
    config as unknown as Record<string, unknown>,
    presetNamed(config.preset).defaults as unknown as Record<string, unknown>,
    DEFAULT_PRESET,
  );
}
