import { registry } from '@graphon-pai/core';
import { builtinCriteriaPlugin, type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { describeCriterionConformance, describePluginConformance } from '../src';

// Every built-in criterion passes the suite, including the stricter rule that pruned weights score 0, on the
// MLP and on LeNet-5.
describePluginConformance(builtinCriteriaPlugin, { backend: 'cpu', prunedScoreZero: true, conv: true });

// And through the process-wide registry, by bare id, as the CLI resolves them.
registerBuiltinCriteria(registry);
describeCriterionConformance('snip (via registry)', registry.criterion<CriterionContext>('snip').spec, {
  backend: 'cpu',
});
