/**
 * Registry-level conformance of a plugin object, and the checks of its maskers.
 *
 * Plugin checks: the shape `definePlugin` requires (core's `assertPluginShape`), `apiVersion` equal to this
 * core's `PLUGIN_API_VERSION`, a semver `meta.version`, non-empty descriptions, registration into a fresh
 * `PluginRegistry` without error, and every declared id resolvable there as `namespace/id` with its kind.
 *
 * Masker checks (maskers receive the criterion context plus `density`, the target kept fraction): one
 * `BitMatrix` per weight layer with the layer's shape, in network order; deterministic under a seed; no
 * tensor leaks; inputs not mutated.
 */
import {
  assertPluginShape,
  BitMatrix,
  type MaskerSpec,
  PLUGIN_API_VERSION,
  PluginRegistry,
  type PrunerPlugin,
} from '@graphon-pai/core';
import type { CriterionContext } from '@graphon-pai/saliency';
import * as tf from '@tensorflow/tfjs-core';
import { type ConformanceCheck, ConformanceError } from './criterion-checks';
import { type ConformanceOptions, type ConformanceSetup, createSetup } from './setup';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Context a masker receives in the conformance suite. */
export type MaskerContext = CriterionContext & { readonly density: number };

/** Registry-level checks of a plugin object. */
export function pluginChecks(plugin: PrunerPlugin): ConformanceCheck[] {
  return [
    {
      id: 'plugin-shape',
      title: 'has the shape definePlugin requires',
      run: async () => {
        try {
          assertPluginShape(plugin);
        } catch (error) {
          throw new ConformanceError('plugin-shape', (error as Error).message);
        }
      },
    },
    {
      id: 'api-version',
      title: `targets plugin API version ${PLUGIN_API_VERSION}`,
      run: async () => {
        if (plugin.apiVersion !== PLUGIN_API_VERSION) {
          throw new ConformanceError(
            'api-version',
            `apiVersion is ${plugin.apiVersion}; this @graphon-pai/core implements ${PLUGIN_API_VERSION}`,
          );
        }
      },
    },
    {
      id: 'meta',
      title: 'has a semver version and descriptions',
      run: async () => {
        if (!SEMVER.test(String(plugin.meta?.version))) {
          throw new ConformanceError(
            'meta',
            `meta.version ${JSON.stringify(plugin.meta?.version)} is not semver (e.g. "1.0.0")`,
          );
        }
        for (const [group, map] of [
          ['criteria', plugin.criteria],
          ['maskers', plugin.maskers],
        ] as const) {
          for (const [id, spec] of Object.entries(map ?? {})) {
            if (!spec.description?.trim())
              throw new ConformanceError('meta', `${group}['${id}'].description is empty`);
          }
        }
      },
    },
    {
      id: 'registers',
      title: 'registers into a fresh registry and resolves every id',
      run: async () => {
        const registry = new PluginRegistry();
        try {
          registry.register(plugin);
        } catch (error) {
          throw new ConformanceError('registers', `registration failed: ${(error as Error).message}`);
        }
        const ns = plugin.meta.namespace;
        for (const id of Object.keys(plugin.criteria ?? {})) {
          const e = registry.criterion(`${ns}/${id}`);
          if (e.spec !== plugin.criteria![id])
            throw new ConformanceError('registers', `${ns}/${id} resolves to another criterion`);
        }
        for (const id of Object.keys(plugin.maskers ?? {})) {
          const e = registry.masker(`${ns}/${id}`);
          if (e.spec !== plugin.maskers![id])
            throw new ConformanceError('registers', `${ns}/${id} resolves to another masker`);
        }
      },
    },
  ];
}

function checkMaskShapes(check: string, mask: unknown, s: ConformanceSetup): Map<string, BitMatrix> {
  if (!(mask instanceof Map)) throw new ConformanceError(check, 'mask() must return a NetworkMask (a Map)');
  const expected = s.network.layers.map((l) => l.weightName);
  const got = [...mask.keys()];
  if (got.length !== expected.length || got.some((k, i) => k !== expected[i])) {
    throw new ConformanceError(
      check,
      `mask() must return one BitMatrix per weight layer in order: expected [${expected.join(', ')}], got [${got.join(', ')}]`,
    );
  }
  for (const l of s.network.layers) {
    const m = mask.get(l.weightName);
    if (!(m instanceof BitMatrix) || m.rows !== l.shape.rows || m.cols !== l.shape.cols) {
      throw new ConformanceError(
        check,
        `mask of '${l.weightName}' must be a ${l.shape.rows} × ${l.shape.cols} BitMatrix`,
      );
    }
  }
  return mask as Map<string, BitMatrix>;
}

/** The checks for one masker. */
export function maskerChecks(
  spec: MaskerSpec<MaskerContext>,
  options: ConformanceOptions = {},
): ConformanceCheck[] {
  const density = options.maskerDensity ?? 0.3;
  const run = async (
    check: string,
    fn: (s: ConformanceSetup, call: () => Promise<Map<string, BitMatrix>>) => Promise<void>,
  ) => {
    // Maskers are checked on the MLP problem (their context type is the MLP one).
    const s = createSetup({ ...options, convNet: undefined });
    try {
      const call = async () => {
        const ctx = Object.freeze({ ...(s.context({ data: s.data }) as CriterionContext), density });
        let result: unknown;
        try {
          result = await spec.mask(ctx);
        } catch (error) {
          throw new ConformanceError(
            check,
            `mask() threw on a valid context: ${(error as Error)?.message ?? String(error)}`,
          );
        }
        return checkMaskShapes(check, result, s);
      };
      await fn(s, call);
    } finally {
      s.dispose();
    }
  };
  return [
    {
      id: 'masker-shapes',
      title: 'returns one mask per weight layer with the layer shape',
      run: () => run('masker-shapes', async (_s, call) => void (await call())),
    },
    {
      id: 'masker-deterministic',
      title: 'is deterministic under a seed',
      run: () =>
        run('masker-deterministic', async (_s, call) => {
          const a = await call();
          const b = await call();
          for (const [name, m] of a) {
            if (!m.equals(b.get(name)!))
              throw new ConformanceError(
                'masker-deterministic',
                `two calls with the same seed give different masks for '${name}'`,
              );
          }
        }),
    },
    {
      id: 'masker-no-leaks',
      title: 'leaks no tensors',
      run: () =>
        run('masker-no-leaks', async (_s, call) => {
          const before = tf.memory().numTensors;
          await call();
          const after = tf.memory().numTensors;
          if (after !== before)
            throw new ConformanceError(
              'masker-no-leaks',
              `mask() left ${after - before} tensor(s) allocated`,
            );
        }),
    },
    {
      id: 'masker-no-mutation',
      title: 'does not mutate weights or data',
      run: () =>
        run('masker-no-mutation', async (s, call) => {
          const weights = s.network.layers.map((l) => s.network.weight(l.index).slice());
          const inputs = s.data.inputs.slice();
          await call();
          s.network.layers.forEach((l) => {
            const w = s.network.weight(l.index);
            if (w.some((v, i) => !Object.is(v, weights[l.index][i]))) {
              throw new ConformanceError(
                'masker-no-mutation',
                `mask() modified the weights of '${l.weightName}'`,
              );
            }
          });
          if (s.data.inputs.some((v, i) => !Object.is(v, inputs[i])))
            throw new ConformanceError('masker-no-mutation', 'mask() modified the batch inputs');
        }),
    },
  ];
}
