import { BitMatrix } from '../bit-matrix';
import { PluginError } from '../errors';
import type { ScoreMap } from '../layers';
import { closestName, levenshtein } from './closest-name';
import {
  BUILTIN_NAMESPACE,
  type CriterionSpec,
  definePlugin,
  PLUGIN_API_VERSION,
  type PrunerPlugin,
} from './contract';
import { PluginRegistry, registry, validatePluginModule } from './registry';

const scoreNothing = (): ScoreMap => new Map();
const criterion = (description: string, extra: Partial<CriterionSpec> = {}): CriterionSpec => ({
  description,
  needsData: false,
  acceptsMask: false,
  score: scoreNothing,
  ...extra,
});

const builtins = (): PrunerPlugin => ({
  meta: { name: '@graphon-pai/saliency', version: '0.1.0', namespace: BUILTIN_NAMESPACE },
  apiVersion: PLUGIN_API_VERSION,
  criteria: {
    snip: criterion('SNIP', { needsData: true }),
    synflow: criterion('SynFlow', { acceptsMask: true }),
    magnitude: criterion('|w|'),
  },
});

const acme = (): PrunerPlugin => ({
  meta: { name: 'acme-pruners', version: '2.1.0', namespace: 'acme' },
  apiVersion: PLUGIN_API_VERSION,
  criteria: { 'hessian-free': criterion('HF') },
  maskers: { phew: { description: 'random walks', mask: () => new Map([['w', new BitMatrix(1, 1)]]) } },
});

/** Captures the PluginError thrown by fn. */
function pluginError(fn: () => unknown): PluginError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PluginError);
    expect((e as PluginError).code).toBe('E_PLUGIN');
    return e as PluginError;
  }
  throw new Error('expected a PluginError');
}

describe('definePlugin', () => {
  it('returns a valid plugin unchanged and typed', () => {
    const p = acme();
    expect(definePlugin(p)).toBe(p);
    expect(PLUGIN_API_VERSION).toBe(1);
  });

  it.each([
    [null, /expected a plugin object/],
    [{ apiVersion: 1, criteria: {} }, /`meta` is missing/],
    [{ ...acme(), meta: { name: 'x', version: '1', namespace: '' } }, /`meta.namespace` is missing/],
    [{ ...acme(), meta: { name: 'x', namespace: 'acme' } }, /`meta.version` is missing/],
    [{ ...acme(), meta: { name: 'x', version: '1', namespace: 'Acme/x' } }, /not a valid namespace/],
    [{ ...acme(), apiVersion: undefined }, /`apiVersion` is missing.*PLUGIN_API_VERSION \(1/],
    [
      { ...acme(), criteria: { a: { description: 'd', needsData: true, acceptsMask: false } } },
      /criteria\["a"\]\.score is missing/,
    ],
    [
      { ...acme(), criteria: { a: { description: 'd', acceptsMask: false, score: scoreNothing } } },
      /needsData is missing/,
    ],
    [
      { ...acme(), criteria: { a: { needsData: true, acceptsMask: false, score: scoreNothing } } },
      /description is missing/,
    ],
    [{ ...acme(), criteria: { 'Bad Id': criterion('x') } }, /id is not valid/],
    [{ ...acme(), maskers: { m: { description: 'm' } } }, /maskers\["m"\]\.mask is missing/],
    [
      {
        ...acme(),
        criteria: {
          a: criterion('a', { defaultSchedule: { kind: 'iterative', rounds: 0, shape: 'linear' } }),
        },
      },
      /rounds is 0/,
    ],
    [
      { ...acme(), criteria: { a: criterion('a', { defaultSchedule: { kind: 'sometimes' } as never }) } },
      /kind is "sometimes"/,
    ],
    [{ meta: acme().meta, apiVersion: 1 }, /declares no criteria and no maskers/],
  ])('rejects malformed plugin %#, naming the field', (plugin, pattern) => {
    const err = pluginError(() => definePlugin(plugin as PrunerPlugin));
    expect(err.message).toMatch(pattern);
    expect(err.fix).toBeTruthy();
  });

  it('accepts valid default schedules', () => {
    expect(() =>
      definePlugin({
        ...acme(),
        criteria: {
          a: criterion('a', { defaultSchedule: { kind: 'one-shot' } }),
          b: criterion('b', { defaultSchedule: { kind: 'iterative', rounds: 100, shape: 'exponential' } }),
        },
      }),
    ).not.toThrow();
  });

  it('rejects another API version, saying which versions', () => {
    const err = pluginError(() => definePlugin({ ...acme(), apiVersion: 2 }));
    expect(err.message).toMatch(
      /targets plugin API version 2, but this @graphon-pai\/core implements version 1/,
    );
    expect(err.fix).toMatch(/upgrade @graphon-pai\/core/);
  });
});

describe('PluginRegistry', () => {
  it('registers criteria and maskers under namespace/id; built-ins also by bare id', () => {
    const r = new PluginRegistry();
    r.register(builtins());
    r.register(acme(), { source: './acme.js' });
    expect(r.criterion('snip').id).toBe('graphon-pai/snip');
    expect(r.criterion('graphon-pai/snip').spec.needsData).toBe(true);
    expect(r.criterion('acme/hessian-free').plugin.name).toBe('acme-pruners');
    expect(r.masker('acme/phew').localId).toBe('phew');
    expect(r.has('synflow')).toBe(true);
    expect(r.has('acme/phew')).toBe(true);
    expect(r.has('hessian-free')).toBe(false); // bare ids are for built-ins only
    expect(r.list().map((e) => e.id)).toEqual([
      'acme/hessian-free',
      'acme/phew',
      'graphon-pai/magnitude',
      'graphon-pai/snip',
      'graphon-pai/synflow',
    ]);
    expect(r.list('masker').map((e) => e.id)).toEqual(['acme/phew']);
    expect(r.listPlugins().map((p) => [p.plugin.meta.name, p.source])).toEqual([
      ['@graphon-pai/saliency', undefined],
      ['acme-pruners', './acme.js'],
    ]);
  });

  it('suggests the closest id and lists the available ones for unknown ids', () => {
    const r = new PluginRegistry();
    r.register(builtins());
    r.register(acme());
    const err = pluginError(() => r.criterion('snp'));
    expect(err.message).toMatch(/unknown criterion "snp"\. Did you mean "snip"\?/);
    expect(err.message).toContain(
      'Available: acme/hessian-free, graphon-pai/magnitude, graphon-pai/snip, graphon-pai/synflow',
    );
    expect(pluginError(() => r.criterion('hessian-fre')).message).toMatch(
      /Did you mean "acme\/hessian-free"/,
    );
    expect(pluginError(() => r.criterion('acme/synflow')).message).toMatch(/Did you mean "synflow"/);
    expect(pluginError(() => r.criterion('completely-different')).message).not.toMatch(/Did you mean/);
    expect(pluginError(() => r.criterion('acme/phew')).message).toMatch(/is a masker, not a criterion/);
    expect(pluginError(() => r.masker('snip')).message).toMatch(/is a criterion, not a masker/);
    // The fix names no CLI flag that does not exist (there is no --masker).
    expect(pluginError(() => r.criterion('acme/phew')).message).not.toMatch(/--masker/);
    expect(pluginError(() => r.criterion('acme/phew')).message).toMatch(/registry\.masker\("acme\/phew"\)/);
    expect(pluginError(() => new PluginRegistry().criterion('snip')).message).toMatch(/\(none registered\)/);
  });

  it('rejects duplicates with a clear error, all-or-nothing; the same object twice is a no-op', () => {
    const r = new PluginRegistry();
    const b = builtins();
    r.register(b);
    r.register(b);
    expect(r.list()).toHaveLength(3);
    const again = pluginError(() => r.register(builtins(), { source: 'copy.js' }));
    expect(again.message).toMatch(
      /a plugin named "@graphon-pai\/saliency" is already registered \(version 0\.1\.0\).*from copy\.js/,
    );
    const clash: PrunerPlugin = {
      meta: { name: 'impostor', version: '1.0.0', namespace: BUILTIN_NAMESPACE },
      apiVersion: 1,
      criteria: { fresh: criterion('new'), snip: criterion('clash') },
    };
    const err = pluginError(() => r.register(clash));
    expect(err.message).toMatch(
      /criterion id "graphon-pai\/snip" of plugin "impostor" is already registered as a criterion by plugin "@graphon-pai\/saliency"/,
    );
    expect(r.has('fresh')).toBe(false);
    const sameIdBothKinds: PrunerPlugin = {
      meta: { name: 'x', version: '1', namespace: 'x' },
      apiVersion: 1,
      criteria: { a: criterion('a') },
      maskers: { a: { description: 'a', mask: () => new Map() } },
    };
    expect(pluginError(() => r.register(sameIdBothKinds)).message).toMatch(
      /masker id "x\/a".*already registered as a criterion/,
    );
    expect(r.has('x/a')).toBe(false);
  });

  it('rejects API-version mismatches, naming both versions and the source', () => {
    const r = new PluginRegistry();
    const err = pluginError(() => r.register({ ...acme(), apiVersion: 0 } as PrunerPlugin));
    expect(err.message).toMatch(/apiVersion/);
    const old = pluginError(() => r.register({ ...acme(), apiVersion: 3 }, { source: 'acme@9' }));
    expect(old.message).toMatch(
      /"acme-pruners" \(from acme@9\) targets plugin API version 3, but this @graphon-pai\/core implements version 1/,
    );
    expect(r.list()).toHaveLength(0);
  });

  it('unregisters a plugin and its ids', () => {
    const r = new PluginRegistry();
    r.register(acme());
    expect(r.unregister('acme-pruners')).toBe(true);
    expect(r.unregister('acme-pruners')).toBe(false);
    expect(r.list()).toEqual([]);
    r.register(acme());
    expect(r.has('acme/phew')).toBe(true);
  });

  it('has one process-wide default registry, shared through globalThis', () => {
    expect(registry).toBeInstanceOf(PluginRegistry);
    const key = Symbol.for(`@graphon-pai/core/plugin-registry/v${PLUGIN_API_VERSION}`);
    expect((globalThis as unknown as Record<symbol, unknown>)[key]).toBe(registry);
    jest.isolateModules(() => {
      // A second copy of the module (as with dual ESM/CJS loading) sees the same instance.
      const again = require('./registry') as typeof import('./registry');
      expect(again.registry).toBe(registry);
    });
  });
});

describe('validatePluginModule', () => {
  it('accepts a default export, a named `plugin` export, and CommonJS interop shapes', () => {
    const p = acme();
    expect(validatePluginModule({ default: p }, 'a')).toBe(p);
    expect(validatePluginModule({ plugin: p, other: 1 }, 'b')).toBe(p);
    expect(validatePluginModule({ default: { default: p } }, 'c')).toBe(p);
    expect(validatePluginModule({ default: { plugin: p } }, 'd')).toBe(p);
    expect(validatePluginModule(p, 'e')).toBe(p);
  });

  it('names the module and its exports when no plugin is found, and validates what it finds', () => {
    expect(pluginError(() => validatePluginModule({ helper: 1, version: '1' }, './x.js')).message).toMatch(
      /module "\.\/x\.js" exports no plugin \(found exports: helper, version\)/,
    );
    expect(pluginError(() => validatePluginModule(undefined, 'y')).message).toMatch(/no exports/);
    expect(
      pluginError(() => validatePluginModule({ default: { meta: { name: 'z' } } }, 'z.js')).message,
    ).toMatch(/plugin "z" \(from z\.js\): `meta.version` is missing/);
    expect(
      pluginError(() => validatePluginModule({ default: { ...acme(), apiVersion: 7 } }, 'v.js')).message,
    ).toMatch(/API version 7/);
  });
});

describe('closestName', () => {
  it('computes edit distances and picks a close candidate only', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
    expect(closestName('grsap', ['snip', 'grasp', 'synflow'])).toBe('grasp');
    expect(closestName('xyzxyzxyz', ['snip'])).toBeUndefined();
    expect(closestName('a', [])).toBeUndefined();
  });
});
