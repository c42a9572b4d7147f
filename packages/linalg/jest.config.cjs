/**
 * tfjs-core's CommonJS bundle registers no gradients and `register_all_gradients` exists only as ES modules:
 * let the shared swc transform compile tfjs-core's ESM `dist/` so the autograd cross-check can load it.
 */
module.exports = {
  preset: '@graphon-pai/tooling',
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/@tensorflow\\+tfjs-core[^/]*/node_modules/)?@tensorflow/tfjs-core/dist/)'],
};
