/**
 * The shape every experiment preset has. A preset is two modules:
 *
 * - a light **descriptor** (`presets/<name>/config.ts`): its name, one line of help, its defaults (which also
 *   say which configuration keys it accepts), the checks a configuration must pass and the schema of its job
 *   records (`presets/<name>/record.ts`); loading it loads no tensor library;
 * - a **run** module (`presets/<name>/run.ts`, loaded by `load()`): one job's computation, and the report as
 *   a pure function of (configuration, job results, provenance), so a single run and a merge of its shards
 *   give the same files.
 *
 * Every preset sweeps jobs = criteria × seeds (`sweep.ts`; the unit of sharding); what one job computes
 * (widths, densities, …) is the preset's own. Nothing here writes a file: a report is data
 * ({@link ReportContents}) that the caller writes where it chooses.
 */
import type { z } from 'zod';
import type { Provenance } from './provenance';
import type { Job } from './sweep';

/** What every preset's configuration has. */
export interface PresetConfig {
  preset: string;
  criteria: string[];
  seeds: number[];
}

export interface PresetDescriptor<
  C extends PresetConfig = PresetConfig,
  R extends { job: Job } = { job: Job },
> {
  name: C['preset'];
  /** One line for `--help`. */
  summary: string;
  /** The default configuration; its keys are the configuration keys (and CLI flags) the preset accepts. */
  defaults: C;
  /** Throws an InvalidArgumentError naming the option when a value is out of range for this preset. */
  validate(config: C): void;
  /** The schema a job record read back (a shard's `jobs/<id>.json`) must match; absent: `{ job }` only. */
  record?: z.ZodTypeAny;
  /** Loads the preset's computation (and the libraries it uses). */
  load(): Promise<PresetRun<C, R>>;
}

/** The files of a report: pure data, written by the caller. */
export interface ReportContents {
  /** Relative path → text (`report.md`, `results.csv`, …). */
  text: Map<string, string>;
  /** Figure name → Vega-Lite spec (rendered by the caller, e.g. with `@graphon-pai/figures`). */
  figures: Map<string, Record<string, unknown>>;
}

/** The report of a preset: its files, and the lines a command prints. */
export interface PresetReport extends ReportContents {
  /** Lines for the human summary on stdout (after "wrote …" and "report: …"). */
  lines: string[];
  /** A machine-readable summary (the CLI's `--json`), when the preset has one. */
  summary?: unknown;
}

export interface PresetRun<C extends PresetConfig = PresetConfig, R extends { job: Job } = { job: Job }> {
  /** Checks what `validate` cannot without the preset's libraries; throws an InvalidArgumentError. */
  check?(config: C): void;
  /** How many progress ticks one job makes. */
  ticksPerJob(config: C): number;
  /** One job's computation; `tick` is called once per unit of work with a short description. */
  runJob(config: C, job: Job, tick: (detail: string) => void): Promise<R>;
  /** The report, a pure function of its arguments (results are in canonical job order). */
  report(config: C, results: readonly R[], provenance: Provenance): PresetReport;
}
