/**
 * The built-in criteria (`@graphon-pai/saliency`: random, magnitude, SNIP, GraSP, SynFlow) in core's plugin
 * registry. Loaded on first use, not at start-up: saliency pulls in tfjs. Commands that look criteria up
 * (`prune`, `experiment`, `plugins list`) call this first; plugin loading calls it before any plugin so a
 * plugin cannot take a built-in id. Idempotent.
 */
import { registry } from '@graphon-pai/core';

export async function registerBuiltins(): Promise<void> {
  const { registerBuiltinCriteria } = await import('@graphon-pai/saliency');
  registerBuiltinCriteria(registry);
}
