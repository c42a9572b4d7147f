/**
 * A one-hidden-layer network whose output at initialisation is zero (to float32 summation order), with every neuron's law unchanged
 * (the "doubling trick" of lazy-training analyses, Chizat, Oyallon, Bach, NeurIPS 2019, arXiv 1812.07956):
 *
 *     neuron j + n/2 = (w_j, −a_j)   for j < n/2,   so   f(x) = Σ_j a_j σ(w_j·x) ≡ 0   (zero biases).
 *
 * Under the standard parametrisation the output of a freshly initialised network does not vanish with the
 * width, and a data-driven criterion sees it through the output signal `r_b = ∂L/∂f(x_b)`; its limit mask is
 * then deterministic only given that output (random across seeds). On the paired network `r_b` is the loss
 * gradient at zero output (for cross-entropy `(1/K − y_b) / (B·T)`), a function of the data alone, so the
 * limit no longer depends on the seed. The criteria score the paired network unchanged (their own code);
 * SNIP's mask rows then come in identical pairs (same |w|, |a| and σ'), halving the independent rows.
 *
 * @example
 * const net = pairedZeroOutput(Mlp.create({ widths: [784, 1024, 10], seed: 0 }));   // f ≡ 0 at init
 */
import { InvalidArgumentError, UnsupportedError } from '@graphon-pai/core';
import { Mlp } from '@graphon-pai/nets';

/** The paired copy of `network` (first half of its neurons, each twice with opposite readouts). */
export function pairedZeroOutput(network: Mlp): Mlp {
  if (network.layers.length !== 2) {
    throw new UnsupportedError(
      `the zero-output pairing is defined for one-hidden-layer networks; got ${network.layers.length} layers`,
      { fix: 'build the network with widths [inputs, hidden, outputs]' },
    );
  }
  const [first, second] = network.layers;
  const n = first.shape.rows;
  const d = first.shape.cols;
  const K = second.shape.rows;
  if (n % 2 !== 0) {
    throw new InvalidArgumentError(
      'network',
      `hidden width ${n}`,
      'an even hidden width (neurons come in pairs)',
    );
  }
  for (const l of [0, 1]) {
    if (network.bias(l)?.some((v) => v !== 0)) {
      throw new UnsupportedError(`the zero-output pairing needs zero biases; layer ${l}'s are not zero`, {
        fix: 'initialise the network with zero biases (e.g. Kaiming normal)',
      });
    }
  }
  const half = n / 2;
  const W = network.weight(0);
  const A = network.weight(1);
  const w = new Float32Array(n * d);
  w.set(W.subarray(0, half * d), 0);
  w.set(W.subarray(0, half * d), half * d);
  const a = new Float32Array(K * n);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < half; j++) {
      a[k * n + j] = A[k * n + j];
      a[k * n + half + j] = -A[k * n + j];
    }
  }
  const { config } = network;
  const bias = config.bias;
  return Mlp.fromParameters(
    {
      widths: config.widths,
      activation: config.activation,
      bias,
      parametrization: config.parametrization,
      sigmaW: config.sigmaW,
      sigmaB: config.sigmaB,
      names: config.names,
    },
    [
      { weight: w, bias: bias ? new Float32Array(n) : null },
      { weight: a, bias: bias ? new Float32Array(K) : null },
    ],
  );
}
