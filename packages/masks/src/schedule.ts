/**
 * Pruning schedules: how the kept count shrinks over the rounds of iterative pruning.
 *
 * With target density `d`, `R` rounds and round `r = 1 … R` (density after round `r`):
 *
 * - one-shot: a single round, `d_1 = d`;
 * - exponential (SynFlow's schedule, Tanaka et al. 2020): `d_r = d^(r/R)`;
 * - linear: `d_r = 1 − (1 − d) · r / R`.
 *
 * Counts. Over a scope of `N` weights with final count `K` (exact, e.g. `round(d · N)` or an allocation's
 * layer count) round `r` keeps `k_r = round(N · (K/N)^(r/R))` (exponential) or
 * `round(N − (N − K) · r / R)` (linear), made non-increasing and ending **exactly** at `k_R = K`. Each
 * round selects inside the previous round's mask, so pruning is monotone: a weight pruned in round `r`
 * stays pruned.
 *
 * @example
 * densitySchedule(0.01, { kind: 'iterative', rounds: 4, shape: 'exponential' }); // [0.316…, 0.1, 0.0316…, 0.01]
 * countSchedule(100, 10000, { kind: 'iterative', rounds: 2, shape: 'linear' });   // [5050, 100]
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkDensity } from './density';

export type Schedule =
  | 'one-shot'
  | { readonly kind: 'one-shot' }
  | { readonly kind: 'iterative'; readonly rounds: number; readonly shape?: 'exponential' | 'linear' };

export type NormalizedSchedule =
  | { readonly kind: 'one-shot' }
  | { readonly kind: 'iterative'; readonly rounds: number; readonly shape: 'exponential' | 'linear' };

export function normalizeSchedule(schedule: Schedule): NormalizedSchedule {
  if (schedule === 'one-shot') return { kind: 'one-shot' };
  if (schedule && typeof schedule === 'object') {
    if (schedule.kind === 'one-shot') return { kind: 'one-shot' };
    if (schedule.kind === 'iterative') {
      const { rounds } = schedule;
      const shape = schedule.shape ?? 'exponential';
      if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 100000)) {
        throw new InvalidArgumentError('schedule.rounds', rounds, 'an integer in [1, 100000]', {
          fix: 'SynFlow uses 100 rounds',
        });
      }
      if (shape !== 'exponential' && shape !== 'linear') {
        throw new InvalidArgumentError('schedule.shape', shape, "'exponential' or 'linear'");
      }
      return { kind: 'iterative', rounds, shape };
    }
  }
  throw new InvalidArgumentError(
    'schedule',
    schedule,
    "'one-shot' or { kind: 'iterative', rounds, shape? }",
    {
      fix: "pass e.g. { kind: 'iterative', rounds: 100, shape: 'exponential' }",
    },
  );
}

/** Density after each round (the last entry is `density`). */
export function densitySchedule(density: number, schedule: Schedule): number[] {
  checkDensity(density);
  const s = normalizeSchedule(schedule);
  if (s.kind === 'one-shot') return [density];
  const out: number[] = [];
  for (let r = 1; r <= s.rounds; r++) {
    out.push(
      r === s.rounds
        ? density
        : s.shape === 'exponential'
          ? density ** (r / s.rounds)
          : 1 - ((1 - density) * r) / s.rounds,
    );
  }
  return out;
}

/** Kept count after each round for a scope of `total` weights ending at exactly `finalCount`. */
export function countSchedule(finalCount: number, total: number, schedule: Schedule): number[] {
  if (!(Number.isInteger(total) && total > 0)) {
    throw new InvalidArgumentError('total', total, 'a positive integer (weights in the scope)');
  }
  if (!(Number.isInteger(finalCount) && finalCount >= 0 && finalCount <= total)) {
    throw new InvalidArgumentError('finalCount', finalCount, `an integer in [0, ${total}]`);
  }
  const s = normalizeSchedule(schedule);
  if (s.kind === 'one-shot') return [finalCount];
  const out: number[] = [];
  let prev = total;
  const ratio = finalCount / total;
  for (let r = 1; r <= s.rounds; r++) {
    let k: number;
    if (r === s.rounds) k = finalCount;
    else if (s.shape === 'exponential') k = ratio === 0 ? 0 : Math.round(total * ratio ** (r / s.rounds));
    else k = Math.round(total - ((total - finalCount) * r) / s.rounds);
    k = Math.max(finalCount, Math.min(prev, k));
    out.push(k);
    prev = k;
  }
  return out;
}
