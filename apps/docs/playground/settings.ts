/**
 * The playground's settings, their allowed ranges and the check the form and the worker share (no library
 * imports: the page's own script stays small; the packages load in the worker only).
 */

/** The five built-in criteria the page offers. */
export const CRITERIA = ['random', 'magnitude', 'snip', 'grasp', 'synflow'] as const;
export type PlaygroundCriterion = (typeof CRITERIA)[number];
export const WIDTH_RANGE = { min: 64, max: 2048 } as const;
export const DENSITY_RANGE = { min: 0.01, max: 0.5 } as const;
/** Widths of the "sweep widths" action. */
export const SWEEP_WIDTHS = [64, 128, 256, 512, 1024, 2048] as const;
export const HEATMAP_BLOCKS = { rowBlocks: 32, colBlocks: 28 } as const;
export interface PlaygroundSettings {
  criterion: PlaygroundCriterion;
  width: number;
  density: number;
  seed: number;
  /** Digits in the scoring batch. */
  digits: number;
}

/** Checks settings the way the form does; returns the messages of what is out of range. */
export function settingsProblems(s: PlaygroundSettings): string[] {
  const problems: string[] = [];
  if (!(CRITERIA as readonly string[]).includes(s.criterion))
    problems.push(`criterion: one of ${CRITERIA.join(', ')}`);
  if (!(Number.isInteger(s.width) && s.width >= WIDTH_RANGE.min && s.width <= WIDTH_RANGE.max)) {
    problems.push(`width: an integer from ${WIDTH_RANGE.min} to ${WIDTH_RANGE.max}`);
  }
  if (!(s.density >= DENSITY_RANGE.min && s.density <= DENSITY_RANGE.max)) {
    problems.push(`density: a kept fraction from ${DENSITY_RANGE.min} to ${DENSITY_RANGE.max}`);
  }
  return problems;
}
