import type { GemmEngine } from '../provider';

export function loadOnnxruntimeGemm(): GemmEngine {
  throw new Error('the onnxruntime provider is not built yet');
}
