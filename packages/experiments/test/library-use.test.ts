/**
 * The README's example as a test: a small taxonomy run through the public API (configuration, jobs, report as
 * data), and the light entry point.
 */
import { DEFAULT_PRESET, presetNamed, presets, withDefaults } from '../src';
import { runPreset } from './helpers';

jest.setTimeout(120_000);

describe('a preset run from a script', () => {
  it('the README example: a small taxonomy run, the report as data', async () => {
    const { results, report } = await runPreset({
      preset: 'taxonomy',
      criteria: ['snip', 'random'],
      widths: [64, 128],
      seeds: [0],
      samples: 128,
      bootstrap: 19,
      alpha: 0.2,
      rowBlocks: 16,
      colBlocks: 14,
    });
    // round(0.1 · n · 784) weights kept at every width
    expect(results.map((r) => r.widths.map((w) => w.kept))).toEqual([
      [5018, 10035],
      [5018, 10035],
    ]);
    expect([...report.text.keys()]).toEqual(['report.md', 'results.csv', 'distances.csv']);
    expect([...report.figures.keys()]).toEqual(['heatmaps', 'convergence', 'connectivity']);
    expect(report.lines[0]).toMatch(/^ {2}snip {13}heterogeneous \(as predicted\)/);
    expect(report.text.get('report.md')).toContain('graphon-pai experiment (test)');
  });
});

describe('configurations', () => {
  it('defaults, overrides and the checks name the flag', () => {
    expect(DEFAULT_PRESET).toBe('taxonomy');
    expect(Object.keys(presets)).toEqual(['taxonomy', 'ntk', 'uat', 'joint', 'accuracy']);
    expect(withDefaults({ widths: [64, 128] })).toMatchObject({
      preset: 'taxonomy',
      widths: [64, 128],
      density: 0.1,
    });
    expect(() => presetNamed('nope')).toThrow(/--preset.*'taxonomy', 'ntk', 'uat', 'joint', 'accuracy'/);
    expect(() => withDefaults({ preset: 'ntk', bootstrap: 9 })).toThrow(
      /--bootstrap.*absent with --preset ntk/,
    );
    const ntk = presets.ntk;
    expect(() => ntk.validate({ ...ntk.defaults, rowBlocks: 0 })).toThrow(
      /--row-blocks must be an integer in \[1, 1048576\]/,
    );
  });
});
