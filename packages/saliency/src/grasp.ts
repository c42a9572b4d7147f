/**
 * `grasp`: Gradient Signal Preservation (Wang, Zhang, Grosse, ICLR 2020, arXiv 2002.07376), signed and
 * magnitude variants.
 *
 * With `L_T` the mean softmax cross-entropy of the logits divided by a temperature `T` (`ctx.loss = 'mse'`
 * uses the squared loss, `T` then unused), `g = ∇_w L_T` and `H = ∇²_w L_T` over the **weights** (biases
 * excluded, as in the paper):
 *
 *     paper's removal score   S(−w) = −w ⊙ H g     (the paper removes the weights with the LARGEST S)
 *     `variant: 'signed'`     s = −S = w ⊙ H g     (larger = keep, the ScoreMap convention, so keeping the
 *                                                  top-k of s keeps exactly the weights GraSP keeps)
 *     `variant: 'magnitude'`  s = |w ⊙ H g|        (the variant the FSM theory covers)
 *
 * `H g` is exact: Pearlmutter's R-operator in `@graphon-pai/nets` (`hvpTape`), never nested autodiff.
 * Defaults as published: `temperature` 200, `samplesPerClass` 10 (the first 10 examples of each class in
 * data order, over all given batches; `samplesPerClass: 0` uses every example), one iteration. With several
 * batches, `g` and `H g` are averages over batches. The published code splits the batch in two halves and
 * sums their gradients (g and Hg each scaled by 2 relative to ours): identical ranking. `normalize` divides
 * by `|Σ s|` like the published code (default false).
 *
 * FSM view: factors through the Hessian-gradient product (see `fsm.ts`, rank-one fit of `|H g|`).
 * Needs data; accepts the mask (scores the masked network). Complexity ≈ 3× SNIP (forward, backward,
 * R-forward, R-backward).
 *
 * @example
 * const scores = graspScores(net, batch, { variant: 'magnitude' });
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type CriterionSpec, type NetworkMask, type ScoreMap } from '@graphon-pai/core';
import {
  type Batch,
  backwardTape,
  forwardTape,
  ConvNet,
  hvpTape,
  type LossName,
  type Network,
  selectRows,
  tidy,
} from '@graphon-pai/nets';
import { type CriterionContext, checkContext, contextBatches, contextLoss, normalizeBySum } from './context';
import { convGraspScores } from './conv-scores';
import { readGraspOptions } from './criterion-options';

export type GraspVariant = 'signed' | 'magnitude';

export interface GraspOptions {
  loss?: LossName;
  mask?: NetworkMask;
  variant?: GraspVariant;
  temperature?: number;
  samplesPerClass?: number;
  normalize?: boolean;
}

/** The first `perClass` examples of each class (data order), concatenated over batches into one batch. */
export function classBalancedBatch(batches: readonly Batch[], perClass: number, classes: number): Batch {
  const picked: Batch[] = [];
  const counts = new Int32Array(classes);
  for (const b of batches) {
    if (!b.labels) {
      throw new InvalidArgumentError('data.labels', undefined, 'class labels for class-balanced sampling', {
        fix: 'give labelled data, or pass samplesPerClass: 0 to use every example',
      });
    }
    const rows: number[] = [];
    for (let i = 0; i < b.count; i++) {
      const c = b.labels[i];
      if (!(c >= 0 && c < classes)) {
        throw new InvalidArgumentError(
          `data.labels[${i}]`,
          c,
          `a class id in [0, ${classes}) (the network has ${classes} outputs)`,
          {
            fix: 'relabel the data or widen the output layer',
          },
        );
      }
      if (counts[c] < perClass) {
        counts[c]++;
        rows.push(i);
      }
    }
    if (rows.length > 0) picked.push(selectRows(b, rows));
  }
  if (picked.length === 0) throw new InvalidArgumentError('data', batches, 'at least one labelled example');
  if (picked.length === 1) return picked[0];
  const f = picked[0].features;
  const count = picked.reduce((s, b) => s + b.count, 0);
  const inputs = new Float32Array(count * f);
  const labels = new Int32Array(count);
  let row = 0;
  for (const b of picked) {
    inputs.set(b.inputs, row * f);
    labels.set(b.labels!, row);
    row += b.count;
  }
  return { inputs, count, features: f, labels, classes };
}

export function graspScores(
  network: Network,
  data: Batch | readonly Batch[],
  options: GraspOptions = {},
): ScoreMap {
  const all = Array.isArray(data) ? (data as readonly Batch[]) : [data as Batch];
  const loss = options.loss ?? 'cross-entropy';
  const temperature = loss === 'cross-entropy' ? (options.temperature ?? 200) : 1;
  const perClass = options.samplesPerClass ?? 10;
  const batches = perClass > 0 ? [classBalancedBatch(all, perClass, network.outputSize)] : all;
  const variant = options.variant ?? 'signed';
  const mask = options.mask;
  const passOptions = { loss, mask, temperature };
  if (network instanceof ConvNet) {
    const out = convGraspScores(network, batches, { ...passOptions, variant });
    if (options.normalize) normalizeBySum(out);
    return out;
  }
  const tensors = tidy(() => {
    let hg: tf.Tensor2D[];
    if (batches.length === 1) {
      const tape = forwardTape(network, batches[0], passOptions);
      const grads = backwardTape(tape);
      const g = grads.effective.map((e, l) =>
        tape.masks[l] ? (tf.mul(e, tape.masks[l]!) as tf.Tensor2D) : e,
      );
      hg = hvpTape(tape, grads, { weights: g }).weights;
    } else {
      const tapes = batches.map((b) => forwardTape(network, b, passOptions));
      const grads = tapes.map(backwardTape);
      const g = network.layers.map((_, l) => {
        const sum = tf.addN(
          grads.map((gr, b) =>
            tapes[b].masks[l] ? tf.mul(gr.effective[l], tapes[b].masks[l]!) : gr.effective[l],
          ),
        );
        return tf.div(sum, batches.length) as tf.Tensor2D;
      });
      const parts = tapes.map((tape, b) => hvpTape(tape, grads[b], { weights: g }).weights);
      hg = network.layers.map(
        (_, l) => tf.div(tf.addN(parts.map((p) => p[l])), batches.length) as tf.Tensor2D,
      );
    }
    return hg.map((h, l) => {
      const m = mask?.get(network.layers[l].weightName);
      let w: tf.Tensor = network.weightTensor(l);
      if (m) w = tf.mul(w, tf.tensor2d(Float32Array.from(m.toDense()), [m.rows, m.cols]));
      const s = tf.mul(w, h);
      return variant === 'magnitude' ? tf.abs(s) : s;
    });
  });
  const out: ScoreMap = new Map();
  network.layers.forEach((layer, l) => {
    const scores = tensors[l].dataSync() as Float32Array;
    // −0 (a pruned weight times a negative product) reads as +0, so pruned weights score exactly 0.
    if (variant === 'signed') for (let q = 0; q < scores.length; q++) scores[q] += 0;
    out.set(layer.weightName, { shape: layer.shape, scores });
  });
  tf.dispose(tensors);
  if (options.normalize) normalizeBySum(out);
  return out;
}


function graspSpec(fixedVariant: GraspVariant | null): CriterionSpec<CriterionContext<Network>> {
  const id = fixedVariant === 'magnitude' ? 'grasp-magnitude' : 'grasp';
  return {
    description:
      fixedVariant === 'magnitude'
        ? 'GraSP magnitude variant: |w ⊙ Hg| (exact Hessian-gradient product)'
        : 'GraSP: w ⊙ Hg, the negated removal score −w ⊙ Hg of Wang et al. 2020 (exact Hessian-gradient product)',
    needsData: true,
    acceptsMask: true,
    defaultSchedule: { kind: 'one-shot' },
    score(ctx) {
      const net = checkContext(ctx, id);
      const options = readGraspOptions(ctx, id);
      return graspScores(net, contextBatches(ctx, id), {
        ...options,
        loss: contextLoss(ctx),
        mask: ctx.mask,
      });
    },
  };
}

/** `grasp` (signed; `options.variant: 'magnitude'` switches). */
export const graspCriterion = graspSpec(null);
/** `grasp-magnitude`: `|w ⊙ Hg|`. */
export const graspMagnitudeCriterion = graspSpec('magnitude');
