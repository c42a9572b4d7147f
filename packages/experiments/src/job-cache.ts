/**
 * The job cache of a resumed run (`runExperiment` with `resume`, `graphon-pai experiment --resume`): a hidden folder `.<out>.jobs` next to the output folder that holds
 * each job's record the moment the job completes (`<id>.json`, written atomically) and the run's settings
 * (`settings.json`: the configuration without the criteria and seeds, which only choose the jobs). The output
 * folder itself is still written all-or-nothing at the end; the cache is what survives an interruption (it
 * is not a temporary: SIGINT, SIGTERM and the stale-temporary cleanup leave it), so a rerun with `--resume`
 * skips the jobs already done. A cache of other settings is discarded; each record is validated like a
 * merged one (`job-records.ts`) before it is reused; the cache is removed once the output folder is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@graphon-pai/core';
import { checkJobRecord } from './job-records';
import { jobFile, jobSettings } from './shard-folder';
import { type Job, jobId, sweepJobs } from './sweep';

interface CachedConfig {
  preset: string;
  criteria: string[];
  seeds: number[];
}

/** The job cache of the run of `config` into `out` (see the file header). */
export class JobCache {
  readonly dir: string;
  private readonly settings: string;

  constructor(
    out: string,
    private readonly config: CachedConfig,
  ) {
    const target = resolve(out);
    this.dir = join(dirname(target), `.${basename(target)}.jobs`);
    this.settings = jobSettings(config as unknown as Record<string, unknown>);
  }

  /** The cached records of this run's jobs (none when the cache holds other settings, which it then drops). */
  read<R extends { job: Job }>(): Map<string, R> {
    const found = new Map<string, R>();
    const settingsFile = join(this.dir, 'settings.json');
    if (!existsSync(settingsFile)) return found;
    if (readFileSync(settingsFile, 'utf8') !== this.settings) {
      this.remove();
      return found;
    }
    const order = sweepJobs(this.config.criteria, this.config.seeds).map(jobId);
    for (const file of readdirSync(this.dir)) {
      const id = file.replace(/\.json$/, '');
      if (!order.includes(id)) continue;
      const source = join(this.dir, file);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(source, 'utf8'));
      } catch {
        continue; // a record cut short by a crash is recomputed
      }
      found.set(
        id,
        checkJobRecord<R>(raw, source, {
          config: this.config as unknown as Parameters<typeof checkJobRecord>[2]['config'],
          shard: { index: 0, count: 1 },
          index: (job) => order.indexOf(jobId(job)),
          file,
        }),
      );
    }
    return found;
  }

  /** Records one completed job. */
  write(result: { job: Job }): void {
    mkdirSync(this.dir, { recursive: true });
    const settingsFile = join(this.dir, 'settings.json');
    if (!existsSync(settingsFile)) writeFileAtomic(settingsFile, new TextEncoder().encode(this.settings));
    const [path, text] = jobFile(result);
    writeFileAtomic(join(this.dir, basename(path)), new TextEncoder().encode(text));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
