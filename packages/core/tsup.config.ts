import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

export default defineConfig(packageBuild({ browser: true }));
