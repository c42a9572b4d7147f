/**
 * The plugin shown in "Writing a pruner plugin" passes the conformance suite exactly as the page tells a
 * plugin author to run it (`src/snippets/acme-plugin.test-example.ts`).
 */
import { describePluginConformance } from '@graphon-pai/testkit';
import plugin from '../src/snippets/acme-plugin';

describePluginConformance(plugin);
