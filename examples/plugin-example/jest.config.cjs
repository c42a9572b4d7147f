// The plugin's tests run twice: as CommonJS (jest's default) and as ES modules (jest's ESM mode, which needs
// `node --experimental-vm-modules`). TypeScript is compiled by @swc/jest; `./index.js` imports (NodeNext
// style) map to the `.ts` sources.
const swc = (type) => [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type } },
];
const common = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120000,
};
module.exports = {
  projects: [
    { ...common, displayName: 'commonjs', transform: { '^.+\\.ts$': swc('commonjs') } },
    {
      ...common,
      displayName: 'esm',
      extensionsToTreatAsEsm: ['.ts'],
      transform: { '^.+\\.ts$': swc('es6') },
    },
  ],
};
