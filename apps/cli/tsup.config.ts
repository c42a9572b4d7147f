import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

export default defineConfig([
  packageBuild(),
  packageBuild({ entry: ['src/bin.ts'], format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } }),
]);
