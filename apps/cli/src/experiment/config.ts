/**
 * The configuration of an experiment run: the chosen preset's defaults overridden by the flags given (or by a
 * shard folder's recorded configuration), every value checked against its flag row (`flags.ts`) and the
 * preset's own checks. A flag the preset has no default for is refused, naming the presets it applies to.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { DEFAULT_PRESET, type PresetConfig, presetNamed, withDefaults } from '@graphon-pai/experiments';
import { EXPERIMENT_FLAGS, reproducingCommand } from './flags';

/** Validates a configuration (from flags or a shard folder) and fills the preset's defaults. */
export function resolveConfig(given: Readonly<Record<string, unknown>>): PresetConfig {
  const config = withDefaults(given) as unknown as Record<string, unknown>;
  for (const row of EXPERIMENT_FLAGS) {
    if (row.choices && row.key in config && !row.choices.includes(String(config[row.key]))) {
      throw new InvalidArgumentError(
        row.flag,
        config[row.key],
        row.choices.map((c) => `'${c}'`).join(' or '),
      );
    }
  }
  presetNamed(config.preset).validate(config as unknown as PresetConfig);
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
