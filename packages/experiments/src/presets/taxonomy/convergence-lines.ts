/**
 * The lines of the taxonomy preset's convergence figures (MLP and conv studies), δ against the width or channel
 * multiplier m on log–log axes: one line with markers per reference (mean over seeds; a point with δ ≤ 0 has
 * no place on a log axis and is left out) and a dotted guide δ₁·√(m₁ / m), slope −½, through the first point
 * of one reference's curve.
 */

type Spec = Record<string, unknown>;
type Row = Record<string, unknown>;

/** The mean δ of one reference at each width (or multiplier), in increasing order. */
export interface CurvePoints {
  readonly points: readonly { readonly width: number; readonly value: { readonly mean: number } }[];
}

/**
 * The data rows of one reference's curve, `{ ...labels, reference, [x]: width, delta }`, and when `guide` is
 * given and the first point is positive, the guide's rows `{ ...labels, guide: guide.name, [x]: m, delta }`
 * at each m of `guide.at`.
 */
export function convergenceRows(
  labels: Row,
  reference: string,
  x: string,
  curve: CurvePoints,
  guide?: { name: string; at: readonly number[] },
): Row[] {
  const rows: Row[] = [];
  for (const p of curve.points) {
    if (p.value.mean > 0) rows.push({ ...labels, reference, [x]: p.width, delta: p.value.mean });
  }
  const first = curve.points[0];
  if (guide && first && first.value.mean > 0) {
    for (const m of guide.at) {
      rows.push({
        ...labels,
        guide: guide.name,
        [x]: m,
        delta: first.value.mean * Math.sqrt(first.width / m),
      });
    }
  }
  return rows;
}

/** The two layers drawing those rows: the references in the order `references` (colour and marker), then the dotted guide. */
export function convergenceLayers(x: Spec, y: Spec, references: readonly string[]): Spec[] {
  return [
    {
      transform: [{ filter: 'isValid(datum.reference)' }],
      mark: { type: 'line', point: { filled: true, size: 40 } },
      encoding: {
        x,
        y,
        color: { field: 'reference', type: 'nominal', sort: references },
        shape: { field: 'reference', type: 'nominal', sort: references },
      },
    },
    {
      transform: [{ filter: 'isValid(datum.guide)' }],
      mark: { type: 'line', color: '#999', strokeDash: [2, 2] },
      encoding: { x, y },
    },
  ];
}
