/**
 * Start-up stays lazy: the command table and argument parsing (all that `--help`, usage errors and
 * `--version` need) load no library that pulls in tfjs, linalg providers, mathjs or vega; a command's
 * implementation loads them when it runs. Checked on the modules required (every heavy module is mocked by a
 * pass-through factory that records its loading), not by timing.
 */
import type * as Helpers from './helpers';

const mockLoaded: string[] = [];
const record = (name: string) => {
  mockLoaded.push(name);
  return jest.requireActual(name);
};
jest.mock('@graphon-pai/bounds', () => record('@graphon-pai/bounds'));
jest.mock('@graphon-pai/cut-distance', () => record('@graphon-pai/cut-distance'));
jest.mock('@graphon-pai/graphon', () => record('@graphon-pai/graphon'));
jest.mock('@graphon-pai/linalg', () => record('@graphon-pai/linalg'));
jest.mock('@graphon-pai/masks', () => record('@graphon-pai/masks'));
jest.mock('@graphon-pai/nets', () => record('@graphon-pai/nets'));
jest.mock('@graphon-pai/saliency', () => record('@graphon-pai/saliency'));
jest.mock('@tensorflow/tfjs-core', () => record('@tensorflow/tfjs-core'));
jest.mock('mathjs', () => record('mathjs'));

const COMMANDS = ['experiment', 'plugins', 'inspect', 'prune', 'cut', 'graphon', 'limit', 'bounds'];

describe('start-up', () => {
  // Imported after the mocks are set up (a static import would load the CLI before `record` exists).
  let cli: typeof Helpers.cli;
  beforeAll(async () => {
    ({ cli } = await import('./helpers'));
  });

  it('--help, every <command> --help, --version and usage errors load no library', async () => {
    const runs: [string[], number][] = [
      [['--help'], 0],
      [['--version'], 0],
      ...COMMANDS.map((c): [string[], number] => [[c, '--help'], 0]),
      [['plugins', 'list', '--help'], 0],
      [['experiment', 'merge', '--help'], 0],
      [['frobnicate'], 2],
      [['prune'], 2],
      [['experiment', '--widths', 'a'], 2],
    ];
    for (const [argv, code] of runs) {
      const r = await cli(...argv);
      expect([argv, r.code]).toEqual([argv, code]);
    }
    expect(mockLoaded).toEqual([]);
  });

  it('a command loads its libraries when it runs; the default experiment preset not bounds or mathjs', async () => {
    const r = await cli('experiment', '--criteria', 'no-such-criterion', '--out', 'never-written');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-criterion/);
    expect(mockLoaded).toContain('@graphon-pai/nets'); // the recording works: the check above can fail
    expect(mockLoaded).not.toContain('@graphon-pai/bounds');
    expect(mockLoaded).not.toContain('mathjs');
  });
});
