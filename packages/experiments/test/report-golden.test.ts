/**
 * Reports are a pure function of (configuration, job results, provenance), and their bytes are fixed: for each
 * preset, the job records of a small run (`fixtures/reports/<preset>.json`, written by `graphon-pai experiment`)
 * give back the report's files with the SHA-256 digests that run wrote — `report.md`, the CSVs and every
 * figure's Vega-Lite spec as `figures/<name>.vl.json` — and the same machine-readable summary. A change that
 * alters a report's bytes fails here, naming the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PresetName, presets, type Provenance } from '../src';

interface Fixture {
  config: Record<string, unknown>;
  provenance: Provenance;
  files: Record<string, string>;
  summary?: unknown;
  jobs: { job: { criterion: string; seed: number } }[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('report bytes', () => {
  it.each(Object.keys(presets) as PresetName[])(
    '%s: the files of the fixture run, byte for byte',
    async (name) => {
      const fixture: Fixture = JSON.parse(
        readFileSync(join(__dirname, 'fixtures', 'reports', `${name}.json`), 'utf8'),
      );
      const run = await presets[name].load();
      const report = run.report(fixture.config as never, fixture.jobs as never, fixture.provenance);
      const files: Record<string, string> = Object.fromEntries(report.text);
      for (const [figure, spec] of report.figures)
        files[`figures/${figure}.vl.json`] = `${JSON.stringify(spec, null, 1)}\n`;
      const digests = Object.fromEntries(Object.entries(files).map(([f, text]) => [f, sha256(text)]));
      expect(digests).toEqual(fixture.files);
      if (fixture.summary !== undefined)
        expect(JSON.parse(JSON.stringify(report.summary))).toEqual(fixture.summary);
    },
  );
});
