/** Spearman's rank correlation of the `accuracy` preset, against scipy. */
import { execFileSync } from 'node:child_process';
import { averageRanks, spearman } from '../src/presets/accuracy/rank-correlation';

describe("Spearman's ρ", () => {
  test('average ranks for ties; ρ equals scipy.stats.spearmanr', () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
    const x = [0.5, 2, 2, 7, 1, 3, 3, 3, 9, -1];
    const y = [1, 0.2, 0.3, 4, 4, 2, 1, 0, 5, 0];
    const scipy = Number(
      execFileSync(
        'python3',
        [
          '-c',
          `from scipy.stats import spearmanr; print(repr(float(spearmanr(${JSON.stringify(x)}, ${JSON.stringify(y)}).statistic)))`,
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(spearman(x, y)).toBeCloseTo(scipy, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
