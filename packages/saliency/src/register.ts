/**
 * Registration of the built-in criteria under the `graphon-pai` namespace, through the same plugin API
 * third parties use (`@graphon-pai/core`'s `definePlugin` / `PluginRegistry`).
 *
 * Ids: `graphon-pai/random`, `graphon-pai/magnitude`, `graphon-pai/snip`, `graphon-pai/grasp` (signed),
 * `graphon-pai/grasp-magnitude`, `graphon-pai/synflow` (also reachable by bare id). Every criterion's `score`
 * takes a {@link CriterionContext}.
 *
 * @example
 * import { registry } from '@graphon-pai/core';
 * registerBuiltinCriteria(registry);
 * const scores = registry.criterion<CriterionContext>('snip').spec.score({ network, data, rng: new Rng(0) });
 */
import { BUILTIN_NAMESPACE, definePlugin, PLUGIN_API_VERSION, type PluginRegistry } from '@graphon-pai/core';
import { graspCriterion, graspMagnitudeCriterion } from './grasp';
import { magnitudeCriterion } from './magnitude';
import { randomCriterion } from './random';
import { snipCriterion } from './snip';
import { synflowCriterion } from './synflow';

export const SALIENCY_VERSION = '0.1.0';

/** The built-in criteria as one plugin object. */
export const builtinCriteriaPlugin = definePlugin({
  meta: {
    name: '@graphon-pai/saliency',
    version: SALIENCY_VERSION,
    namespace: BUILTIN_NAMESPACE,
    description: 'Built-in pruning-at-initialisation criteria',
  },
  apiVersion: PLUGIN_API_VERSION,
  criteria: {
    random: randomCriterion,
    magnitude: magnitudeCriterion,
    snip: snipCriterion,
    grasp: graspCriterion,
    'grasp-magnitude': graspMagnitudeCriterion,
    synflow: synflowCriterion,
  },
});

/** Registers the built-ins into `registry` (idempotent: registering the same plugin twice is a no-op). */
export function registerBuiltinCriteria(registry: PluginRegistry): void {
  registry.register(builtinCriteriaPlugin, { source: '@graphon-pai/saliency' });
}
