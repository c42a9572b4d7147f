/**
 * Seeded weight initialisation schemes for dense layers (weight `rows × cols` = out × in, PyTorch
 * `Linear.weight` orientation; `fanIn = cols`, `fanOut = rows`).
 *
 * | scheme              | weight distribution                                   | bias           |
 * |---------------------|-------------------------------------------------------|----------------|
 * | `kaiming-normal`    | N(0, gain² / fanIn), gain = √2 (ReLU), 5/3 (tanh), 1 | 0              |
 * | `kaiming-uniform`   | U(−b, b), b = gain·√(3 / fanIn)                        | 0              |
 * | `xavier-normal`     | N(0, 2 / (fanIn + fanOut))                             | 0              |
 * | `xavier-uniform`    | U(−b, b), b = √(6 / (fanIn + fanOut))                  | 0              |
 * | `gaussian`          | N(0, σ_w²) with the literal `std` given                | N(0, σ_b²)     |
 * | `pytorch-default`   | U(−1/√fanIn, 1/√fanIn) (`nn.Linear` default)            | same law       |
 *
 * Under the **NTK parametrisation** (`parametrization: 'ntk'` of the MLP) every parameter is drawn
 * N(0, 1) regardless of the scheme and the forward pass multiplies by σ_w/√fanIn (weights) and σ_b
 * (biases) instead; see `mlp.ts`.
 *
 * Streams: layer `l` draws its weights from `rng.fork('<weightName>')` and its bias from
 * `rng.fork('<biasName>')`, row-major, so changing one layer's width never changes another layer's draws.
 * Complexity O(rows · cols).
 *
 * @example
 * const w = initWeights({ kind: 'kaiming-normal' }, 784, 1024, 'relu', new Rng(0).fork('0.weight'));
 *
 * References: He et al. 2015 (arXiv 1502.01852); Glorot & Bengio 2010; Jacot et al. 2018 (arXiv 1806.07572).
 */
import { InvalidArgumentError, type Rng } from '@graphon-pai/core';
import type { Activation } from './activations';

export type InitKind =
  | 'kaiming-normal'
  | 'kaiming-uniform'
  | 'xavier-normal'
  | 'xavier-uniform'
  | 'gaussian'
  | 'pytorch-default';

export interface InitScheme {
  kind: InitKind;
  /** `gaussian` only: the weight standard deviation σ_w (default 1). */
  std?: number;
  /** `gaussian` only: the bias standard deviation σ_b (default 0: zero biases). */
  biasStd?: number;
  /** `kaiming-*` only: overrides the activation's gain. */
  gain?: number;
}

export const INIT_KINDS: readonly InitKind[] = [
  'kaiming-normal',
  'kaiming-uniform',
  'xavier-normal',
  'xavier-uniform',
  'gaussian',
  'pytorch-default',
];

/** The Kaiming gain PyTorch's `calculate_gain` gives for the activation. */
export function activationGain(activation: Activation): number {
  if (activation === 'relu') return Math.SQRT2;
  if (activation === 'tanh') return 5 / 3;
  return 1;
}

export function checkInitScheme(value: unknown, argument = 'init'): InitScheme {
  const scheme = typeof value === 'string' ? { kind: value } : value;
  if (
    typeof scheme !== 'object' ||
    scheme === null ||
    !(INIT_KINDS as readonly string[]).includes((scheme as InitScheme).kind)
  ) {
    throw new InvalidArgumentError(
      argument,
      value,
      `one of ${INIT_KINDS.join(', ')} (or { kind, std?, biasStd?, gain? })`,
    );
  }
  const s = scheme as InitScheme;
  for (const key of ['std', 'biasStd', 'gain'] as const) {
    const v = s[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new InvalidArgumentError(`${argument}.${key}`, v, 'a finite non-negative number');
    }
  }
  return s;
}

/** Draws a `rows × cols` weight matrix (row-major Float32Array). */
export function initWeights(
  scheme: InitScheme,
  rows: number,
  cols: number,
  activation: Activation,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(rows * cols);
  const fanIn = cols;
  const fanOut = rows;
  switch (scheme.kind) {
    case 'kaiming-normal':
      return rng.normalArray(
        out.length,
        0,
        (scheme.gain ?? activationGain(activation)) / Math.sqrt(fanIn),
        out,
      );
    case 'kaiming-uniform': {
      const b = (scheme.gain ?? activationGain(activation)) * Math.sqrt(3 / fanIn);
      return rng.uniformArray(out.length, -b, b, out);
    }
    case 'xavier-normal':
      return rng.normalArray(out.length, 0, Math.sqrt(2 / (fanIn + fanOut)), out);
    case 'xavier-uniform': {
      const b = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniformArray(out.length, -b, b, out);
    }
    case 'gaussian':
      return rng.normalArray(out.length, 0, scheme.std ?? 1, out);
    case 'pytorch-default': {
      const b = 1 / Math.sqrt(fanIn);
      return rng.uniformArray(out.length, -b, b, out);
    }
  }
}

/** Draws a bias vector of length `rows` for a layer with `cols` inputs. */
export function initBias(scheme: InitScheme, rows: number, cols: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows);
  if (scheme.kind === 'pytorch-default') {
    const b = 1 / Math.sqrt(cols);
    return rng.uniformArray(rows, -b, b, out);
  }
  if (scheme.kind === 'gaussian' && (scheme.biasStd ?? 0) > 0)
    return rng.normalArray(rows, 0, scheme.biasStd, out);
  return out;
}
