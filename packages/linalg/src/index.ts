/** @packageDocumentation Fast dense linear algebra for graphon-pai: GEMM providers (onnxruntime, OpenBLAS, wasm), an accelerated tfjs matmul kernel, Cholesky, symmetric eigen and truncated SVD. */
export {};
