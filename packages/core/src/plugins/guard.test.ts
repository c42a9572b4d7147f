import { BitMatrix } from '../bit-matrix';
import { InvalidArgumentError, PluginError } from '../errors';
import type { ScoreMap } from '../layers';
import { PLUGIN_API_VERSION, type PrunerPlugin } from './contract';
import { guardPlugin } from './guard';

const scores: ScoreMap = new Map([['w', { shape: { rows: 1, cols: 2 }, scores: Float32Array.of(1, 2) }]]);
const criterion = (score: () => unknown) => ({
  description: 'test',
  needsData: false,
  acceptsMask: false,
  score: score as () => ScoreMap,
});

function acme(criteria: Record<string, () => unknown>): PrunerPlugin {
  return {
    meta: { name: 'acme-pruners', version: '1.0.0', namespace: 'acme' },
    apiVersion: PLUGIN_API_VERSION,
    criteria: Object.fromEntries(Object.entries(criteria).map(([id, f]) => [id, criterion(f)])),
    maskers: { walk: { description: 'walks', mask: () => new Map([['w', new BitMatrix(1, 2)]]) } },
  };
}

async function rejection(p: Promise<unknown>): Promise<PluginError> {
  try {
    await p;
  } catch (error) {
    return error as PluginError;
  }
  throw new Error('expected a rejection');
}

describe('guardPlugin', () => {
  it('passes results through and keeps every other field', async () => {
    const plugin = acme({ fine: () => scores, later: async () => scores });
    const safe = guardPlugin(plugin, { source: './acme.mjs' });
    expect(safe.meta).toBe(plugin.meta);
    expect(safe.criteria?.fine.description).toBe('test');
    await expect(safe.criteria?.fine.score({})).resolves.toBe(scores);
    await expect(safe.criteria?.later.score({})).resolves.toBe(scores);
    await expect(safe.maskers?.walk.mask({})).resolves.toBeInstanceOf(Map);
  });

  it("attributes a thrown error to the criterion, plugin and source, keeping the plugin's own fix", async () => {
    const safe = guardPlugin(
      acme({
        throws: () => {
          throw new Error('kaboom');
        },
        typed: () => {
          throw new InvalidArgumentError('ctx.data', undefined, 'a batch', { fix: 'pass data' });
        },
      }),
      { source: './acme.mjs', errorFix: 'report it' },
    );
    const e = await rejection(Promise.resolve(safe.criteria?.throws.score({})));
    expect(e).toBeInstanceOf(PluginError);
    expect(e.message).toBe(
      'criterion "acme/throws" of plugin "acme-pruners" (from ./acme.mjs) failed: kaboom. Fix: report it',
    );
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
    const typed = await rejection(Promise.resolve(safe.criteria?.typed.score({})));
    expect(typed.fix).toBe('pass data');
    expect(typed.message).toMatch(/failed: ctx\.data must be a batch.*\. Fix: pass data$/);
  });

  it('refuses a result that is not a Map, naming what it was', async () => {
    const safe = guardPlugin(acme({ array: () => [1], nothing: () => null }));
    expect((await rejection(Promise.resolve(safe.criteria?.array.score({})))).message).toMatch(
      /criterion "acme\/array" of plugin "acme-pruners" returned an array, not a Map of layer name → scores/,
    );
    expect((await rejection(Promise.resolve(safe.criteria?.nothing.score({})))).message).toMatch(
      /returned null/,
    );
  });

  it('stops waiting for a call past the time limit, then calls onTimeout', async () => {
    let timedOut = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const safe = guardPlugin(
      acme({ slow: () => new Promise((resolve) => (pending = setTimeout(() => resolve(scores), 5000))) }),
      { timeoutSeconds: () => 0.2, onTimeout: () => timedOut++ },
    );
    const started = Date.now();
    const e = await rejection(Promise.resolve(safe.criteria?.slow.score({})));
    clearTimeout(pending);
    expect(e.message).toMatch(/criterion "acme\/slow" of plugin "acme-pruners" did not finish within 0\.2 s/);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(timedOut).toBe(1);
  });
});
