#!/usr/bin/env node
/**
 * Scaffold a publishable workspace package with the layout every package here shares:
 *
 *   node tooling/scripts/new-package.mjs <dir-name> "<one-line description>" [dep ...]
 *
 * creates packages/<dir-name>/ with package.json (dual ESM/CJS exports, a `source` condition for the
 * workspace, the same script names as every package), tsconfig.json, tsup.config.ts, jest.config.cjs,
 * README.md and src/index.ts. Internal dependencies are given by short name (`core`, `linalg`, ...).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  process.stderr.write('usage: new-package.mjs <dir-name> "<description>" [internal-dep ...]\n');
  process.exit(2);
}
const dir = join(root, 'packages', name);
if (existsSync(dir)) {
  process.stderr.write(`packages/${name} already exists\n`);
  process.exit(2);
}

const dist = {
  import: { types: './dist/index.d.ts', default: './dist/index.js' },
  require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
};
const pkg = {
  name: `@graphon-pai/${name}`,
  version: '0.1.0',
  description,
  keywords: ['graphon', 'pruning', 'pruning-at-initialization', 'sparse-neural-networks'],
  license: 'MIT',
  repository: { type: 'git', url: 'https://github.com/graphon-pai/graphon-pai.git', directory: `packages/${name}` },
  type: 'module',
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { source: './src/index.ts', ...dist }, './package.json': './package.json' },
  publishConfig: { access: 'public', exports: { '.': dist, './package.json': './package.json' } },
  files: ['dist', 'README.md', 'CHANGELOG.md'],
  sideEffects: false,
  engines: { node: '>=20' },
  scripts: {
    build: 'tsup',
    'check-types': 'tsc -p tsconfig.json',
    lint: 'biome lint src',
    test: 'jest --json --outputFile=jest-results.json --passWithNoTests',
  },
  dependencies: Object.fromEntries(deps.map((d) => [`@graphon-pai/${d}`, 'workspace:^'])),
  devDependencies: { '@graphon-pai/tooling': 'workspace:*' },
};

mkdirSync(join(dir, 'src'), { recursive: true });
const write = (file, text) => writeFileSync(join(dir, file), text);
write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
write(
  'tsconfig.json',
  `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', 'bench'] }, null, 2)}\n`,
);
write(
  'tsup.config.ts',
  "import { packageBuild } from '@graphon-pai/tooling/tsup';\nimport { defineConfig } from 'tsup';\n\nexport default defineConfig(packageBuild());\n",
);
write('jest.config.cjs', "module.exports = { preset: '@graphon-pai/tooling' };\n");
write('README.md', `# @graphon-pai/${name}\n\n${description}\n\n\`\`\`sh\nnpm i @graphon-pai/${name}\n\`\`\`\n`);
write('src/index.ts', `/** @packageDocumentation ${description} */\nexport {};\n`);
process.stdout.write(`created packages/${name}\n`);
