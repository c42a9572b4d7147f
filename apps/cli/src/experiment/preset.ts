/**
 * The shape every experiment preset has. A preset is two modules:
 *
 * - a light **descriptor** (`presets/<name>/config.ts`): its name, one line of help, its defaults (which also
 *   say which flags of `flags.ts` it accepts) and the checks a configuration must pass; `--help` and
 *   validation load only this;
 * - a **run** module (`presets/<name>/run.ts`, loaded when the preset runs): one job's computation, and the
 *   report folder as a pure function of (configuration, job results, provenance), so a single run and
 *   `experiment merge` of its shards write the same files.
 *
 * Every preset sweeps jobs = criteria × seeds (`sweep.ts`; the unit of `--shard i/N`); what one job computes
 * (widths, densities, …) is the preset's own.
 */
import type { Provenance } from './provenance';
import type { ReportContents } from './report-folder';
import type { Job } from './sweep';

/** What every preset's configuration has. */
export interface PresetConfig {
  preset: string;
  criteria: string[];
  seeds: number[];
}

export interface PresetDescriptor<C extends PresetConfig = PresetConfig> {
  name: C['preset'];
  /** One line for `--help`. */
  summary: string;
  /** The default configuration; its keys are the flags the preset accepts. */
  defaults: C;
  /** Throws an InvalidArgumentError naming the flag when a value is out of range for this preset. */
  validate(config: C): void;
  load(): Promise<PresetRun<C>>;
}

/** The report of a preset: the folder's files, and the lines printed on stdout. */
export interface PresetReport extends ReportContents {
  /** Lines for the human summary on stdout (after "wrote …" and "report: …"). */
  lines: string[];
  /** A machine-readable summary for `--json`, when the preset has one. */
  summary?: unknown;
}

export interface PresetRun<C extends PresetConfig = PresetConfig, R extends { job: Job } = { job: Job }> {
  /** How many progress ticks one job makes. */
  ticksPerJob(config: C): number;
  /** One job's computation; `tick` is called once per unit of work with a short description. */
  runJob(config: C, job: Job, tick: (detail: string) => void): Promise<R>;
  /** The report folder, a pure function of its arguments (results are in canonical job order). */
  report(config: C, results: readonly R[], provenance: Provenance): PresetReport;
}
