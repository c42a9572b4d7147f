/** Runs a preset in process, as a library user does: configuration, every job, the report. */
import { ensureBackend } from '@graphon-pai/testkit';
import {
  type PresetName,
  type PresetReport,
  type PresetRun,
  presetConfig,
  presets,
  type Provenance,
  sweepJobs,
} from '../src';
import type { PresetConfigs, PresetResults } from '../src/presets';

/** A fixed provenance (the report prints it; the CLI records the real one). */
export const TEST_PROVENANCE: Provenance = {
  command: 'graphon-pai experiment (test)',
  versions: { '@graphon-pai/experiments': 'test' },
  engine: { backend: 'cpu', provider: 'test' },
  node: process.versions.node,
};

export async function runPreset<N extends PresetName>(
  given: { preset: N } & Partial<PresetConfigs[N]>,
): Promise<{ config: PresetConfigs[N]; results: PresetResults[N][]; report: PresetReport }> {
  await ensureBackend('cpu');
  const config = presetConfig(given as Record<string, unknown>) as PresetConfigs[N];
  const run = (await presets[given.preset].load()) as unknown as PresetRun<
    PresetConfigs[N],
    PresetResults[N]
  >;
  const results: PresetResults[N][] = [];
  for (const job of sweepJobs(config.criteria, config.seeds)) {
    results.push(await run.runJob(config, job, () => {}));
  }
  return { config, results, report: run.report(config, results, TEST_PROVENANCE) };
}
