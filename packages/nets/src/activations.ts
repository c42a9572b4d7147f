/**
 * Hidden-layer activations of an MLP and the derivatives the exact passes need.
 *
 * | name     | σ(z)        | σ'(z)                  | σ''(z)                         |
 * |----------|-------------|------------------------|--------------------------------|
 * | `relu`   | max(z, 0)   | 1{z > 0} (0 at z = 0)  | 0 (almost everywhere)          |
 * | `tanh`   | tanh z      | 1 − σ²                 | −2σ(1 − σ²)                    |
 * | `linear` | z           | 1                      | 0                              |
 *
 * The derivative at the ReLU kink is taken as 0, the PyTorch and tfjs convention. The derivatives are
 * written in terms of the pre-activation `z` and the activation `a = σ(z)` so that no pass recomputes σ.
 * The output layer is always linear (logits or regression outputs).
 *
 * @example
 * const a = activate(tf, 'tanh', z); const d1 = activationDerivative(tf, 'tanh', z, a);
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@graphon-pai/core';

export type Activation = 'relu' | 'tanh' | 'linear';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'linear'];

export function checkActivation(value: unknown, argument = 'activation'): Activation {
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(argument, value, `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as Activation;
}

/** σ(z). */
export function activate(engine: typeof tfc, activation: Activation, z: tfc.Tensor2D): tfc.Tensor2D {
  if (activation === 'relu') return engine.relu(z);
  if (activation === 'tanh') return engine.tanh(z);
  return z;
}

/** σ'(z) given z and a = σ(z). */
export function activationDerivative(
  engine: typeof tfc,
  activation: Activation,
  z: tfc.Tensor2D,
  a: tfc.Tensor2D,
): tfc.Tensor2D {
  if (activation === 'relu') return engine.step(z, 0) as tfc.Tensor2D;
  if (activation === 'tanh') return engine.sub(1, engine.square(a)) as tfc.Tensor2D;
  return engine.onesLike(z);
}

/** σ''(z) given a = σ(z), or `null` when it vanishes (ReLU almost everywhere, linear). */
export function activationSecondDerivative(
  engine: typeof tfc,
  activation: Activation,
  a: tfc.Tensor2D,
): tfc.Tensor2D | null {
  if (activation === 'tanh') return engine.mul(engine.mul(-2, a), engine.sub(1, engine.square(a))) as tfc.Tensor2D;
  return null;
}

/** Host-side σ, σ' for float64 references and closed forms. */
export function activateScalar(activation: Activation, z: number): number {
  if (activation === 'relu') return Math.max(z, 0);
  if (activation === 'tanh') return Math.tanh(z);
  return z;
}
