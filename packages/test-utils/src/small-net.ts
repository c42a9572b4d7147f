/**
 * The small network the nets and saliency suites share: `Mlp.create({ ...SMALL_NET, ...overrides })` (7 inputs,
 * hidden widths 6 and 5, 4 outputs, tanh, PyTorch's default initialisation, seed 3). Options only, so this
 * package does not depend on `@graphon-pai/nets` (whose own tests use it).
 */
export const SMALL_NET = {
  widths: [7, 6, 5, 4],
  activation: 'tanh',
  init: 'pytorch-default',
  seed: 3,
} as const;
