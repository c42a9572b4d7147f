// test/acme-plugin.test.ts in the plugin's package: the whole conformance suite in three lines.
import { describePluginConformance } from '@graphon-pai/testkit';
import plugin from '../src/acme-plugin';

describePluginConformance(plugin);
