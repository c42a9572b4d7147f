import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// mathjs is loaded lazily with `require` (see src/expression.ts).
export default defineConfig(packageBuild({ esmRequire: true }));
