/**
 * The `acme` plugin shown in "Writing a pruner plugin" passes the conformance suite, run exactly as the
 * page tells a plugin author to run it. (The page's complete plugin is `examples/plugin-example`, whose own
 * tests run the suite as CommonJS and as ES modules.)
 */
import { describePluginConformance } from '@graphon-pai/testkit';
import plugin from '../src/snippets/acme-plugin';

describePluginConformance(plugin);
