/**
 * Every experiment preset, by name. `--preset` chooses one; the first is the default. Adding a preset means
 * adding its descriptor here (and its flags' rows to `../flags.ts` when it has new ones).
 */
import type { PresetConfig, PresetDescriptor } from '../preset';
import { accuracyPreset } from './accuracy/config';
import { jointPreset } from './joint/config';
import { ntkPreset } from './ntk/config';
import { taxonomyPreset } from './taxonomy/config';
import { uatPreset } from './uat/config';

export const PRESETS: readonly PresetDescriptor<PresetConfig>[] = [
  taxonomyPreset,
  ntkPreset,
  uatPreset,
  jointPreset,
  accuracyPreset,
] as unknown as readonly PresetDescriptor<PresetConfig>[];

export const DEFAULT_PRESET = PRESETS[0].name;
