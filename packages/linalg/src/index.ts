/** @packageDocumentation Fast dense linear algebra for graphon-pai: GEMM providers (onnxruntime, OpenBLAS, wasm), an accelerated tfjs matmul kernel, Cholesky, symmetric eigen and truncated SVD. */
export { ALLOCATOR_ENV, tuneAllocator } from './allocator';
export { type BitMatrixOperatorOptions, bitMatrixOperator } from './bit-matrix-operator';
export { cholesky, choleskyInPlace, choleskySolve, logDetFromCholesky } from './cholesky';
export {
  type FastMatMulBackend,
  type FastMatMulOptions,
  fastMatMulBackends,
  installFastMatMul,
  type TfKernelRegistry,
  uninstallFastMatMul,
} from './fast-matmul';
export { gemm, matmul } from './gemm';
export { releaseScratch } from './internal/scratch';
export { denseOperator, type LinearOperator } from './linear-operator';
export {
  availableProviders,
  lapackAvailable,
  PROVIDER_ENV,
  PROVIDER_NAMES,
  type ProviderName,
  provider,
  providerUnavailableReason,
  setProvider,
} from './provider';
export {
  type CompressedPattern,
  type SparsePatternOperator,
  type SparsePatternOptions,
  sparsePatternOperator,
} from './sparse-pattern-operator';
export { symmetricMatVec } from './symmetric-mat-vec';
export { type SymmetricEigenOptions, type SymmetricEigenResult, symmetricEigen } from './symmetric-eigen';
export {
  type DenseMatrix,
  type TruncatedSvdOptions,
  type TruncatedSvdResult,
  truncatedSvd,
} from './truncated-svd';
export {
  WASM_PAGE_BYTES,
  type WasmInstance,
  type WasmMemory,
  type WasmSimdModule,
  wasmSimdModule,
} from './wasm-module';
