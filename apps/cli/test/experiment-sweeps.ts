/** The tiny sweeps the experiment tests run: flags of `graphon-pai experiment`, a few seconds each. */

/** taxonomy: widths 64 and 128, two seeds, random and SNIP, 128 digits, 59 bootstrap replicates. */
export const TAXONOMY_SWEEP = [
  '--widths',
  '64,128',
  '--seeds',
  '0,1',
  '--criteria',
  'random,snip',
  '--samples',
  '128',
  '--bootstrap',
  '59',
  '--row-blocks',
  '16',
  '--col-blocks',
  '14',
];

/** ntk: width 24, densities 0.1 and 0.5, random and SNIP, m = 30 digits, seed 0. */
export const NTK_SWEEP = [
  '--preset',
  'ntk',
  '--widths',
  '24',
  '--densities',
  '0.1,0.5',
  '--criteria',
  'random,snip',
  '--samples',
  '30',
];

/** uat: width 40, 40 digits, |S| = 2; the criteria, seeds and densities given (default random,snip × 0,1 × 0.2,0.5). */
export function uatSweep({ criteria = 'random,snip', seeds = '0,1', densities = '0.2,0.5' } = {}): string[] {
  return [
    '--preset',
    'uat',
    '--widths',
    '40',
    '--densities',
    densities,
    '--criteria',
    criteria,
    '--samples',
    '40',
    '--seeds',
    seeds,
    '--k',
    '2',
  ];
}

/** joint: widths 128 and 256 (d = 64, 128), random and SNIP, seed 0, 16 samples. */
export const JOINT_SWEEP = [
  '--preset',
  'joint',
  '--widths',
  '128,256',
  '--criteria',
  'random,snip',
  '--seeds',
  '0',
  '--samples',
  '16',
];
