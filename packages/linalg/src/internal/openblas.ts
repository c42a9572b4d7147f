import type { GemmEngine } from '../provider';

export function loadOpenblasGemm(): GemmEngine {
  throw new Error('the openblas provider is not built yet');
}
