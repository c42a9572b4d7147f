/**
 * The `results.csv` columns the taxonomy preset's MLP and conv studies share: the homogeneity test's
 * statistics, p-values and verdict, and the FSM limit's fit (method, τ, Σ|S|² explained, eligible fraction).
 */
import type { HomogeneityTest } from '@graphon-pai/cut-distance';
import type { CsvValue } from '../../csv';
import type { WidthResult } from './job';

/** `results.csv` columns of the homogeneity test (`homogeneityCells`). */
export const HOMOGENEITY_COLUMNS = [
  'homogeneity_statistic_cut',
  'homogeneity_statistic_dispersion',
  'p_cut',
  'p_dispersion',
  'p_value',
  'verdict',
];

export const homogeneityCells = (h: HomogeneityTest): CsvValue[] => [
  h.cut,
  h.dispersion,
  h.pCut,
  h.pDispersion,
  h.pValue,
  h.verdict,
];

/** `results.csv` columns of the FSM limit (`limitCells`). */
export const LIMIT_COLUMNS = ['fsm_method', 'fsm_tau', 'fsm_explained', 'fsm_eligible'];

export const limitCells = (l: WidthResult['limit']): CsvValue[] => [l.method, l.tau, l.explained, l.eligible];
