/**
 * The text pieces the taxonomy preset's MLP and conv reports share: fixed-decimal numbers, mean ± sd, slope
 * ± SE, the verdict of a criterion against the theory's prediction, and the report's closing "Reproduce"
 * section.
 */
import { type Provenance, provenanceLine } from '../../provenance';
import type { MeanSd, SlopeFit } from '../../stats';

/** `x` to `digits` decimals, `n/a` when not finite. */
export const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** `mean ± sd` (both to `digits` decimals), the mean alone for one seed, `–` for no value. */
export const pm = (m: MeanSd | null, digits = 4) =>
  m === null ? '–' : m.n > 1 ? `${fmt(m.mean, digits)} ± ${fmt(m.sd, digits)}` : fmt(m.mean, digits);

/** A log–log slope to 2 decimals with its standard error when known, `–` for no fit. */
export const slopeText = (f: SlopeFit | null | undefined) =>
  f ? `${fmt(f.slope, 2)}${f.standardError !== undefined ? ` ± ${fmt(f.standardError, 2)}` : ''}` : '–';

/** The observed homogeneity class against the theory's prediction (`agrees` null: no prediction). */
export interface Classification {
  observed: string;
  predicted: string;
  agrees: boolean | null;
}

/** "classified **observed**, as the theory predicts" and its variants; `disagreement` follows a wrong prediction. */
export function verdictText(c: Classification, disagreement = ''): string {
  if (c.agrees === null)
    return `classified **${c.observed}** (the theory makes no prediction for this criterion)`;
  return c.agrees
    ? `classified **${c.observed}**, as the theory predicts`
    : `classified **${c.observed}**, but the theory predicts **${c.predicted}**${disagreement}`;
}

/** The taxonomy table's "agrees" cell: yes, **no**, or – without a prediction. */
export const agreesCell = (c: Classification) => (c.agrees === null ? '–' : c.agrees ? 'yes' : '**no**');

/** The stdout line's note on the prediction: "(as predicted)", "(theory predicts …)" or nothing. */
export const predictionNote = (c: Classification) =>
  c.agrees === null ? '' : c.agrees ? ' (as predicted)' : ` (theory predicts ${c.predicted})`;

/** The closing section of report.md: the reproducing command, the provenance line, where the numbers are. */
export function reproduceSection(prov: Provenance, jobs: number): string[] {
  return [
    '## Reproduce',
    '',
    '```sh',
    prov.command,
    '```',
    '',
    provenanceLine(prov, jobs),
    '',
    "Every number is in `results.csv`, `distances.csv` and `results.json`; each job's raw result is in `jobs/`.",
    '',
  ];
}
