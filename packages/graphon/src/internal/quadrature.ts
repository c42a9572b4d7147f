/**
 * Adaptive Gauss–Kronrod (G7/K15) quadrature on [a, b] with an absolute error target.
 *
 * Each interval is integrated by the 15-point Kronrod rule; |K15 − G7| estimates the error. The interval
 * with the largest estimate is bisected until the total meets the target or an interval budget is spent.
 * Nodes are interior, so integrands may be infinite-valued (but bounded in integral) at the ends. Reference: R. Piessens et al., QUADPACK (1983), `qk15`.
 */
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, max, min } = Math;

const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

function gk15(f: (x: number) => number, a: number, b: number): [number, number] {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  // Nested integrals (the FSM's 2-D quadrature) re-enter gk15 from f: one scratch buffer per depth.
  const fv = scratch[depth] ?? (scratch[depth] = new Float64Array(14));
  depth++;
  const fc = f(c);
  let k = WGK[7] * fc;
  let g = WG[3] * fc;
  let kabs = WGK[7] * abs(fc);
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j];
    const f1 = f(c - dx);
    const f2 = f(c + dx);
    fv[2 * j] = f1;
    fv[2 * j + 1] = f2;
    k += WGK[j] * (f1 + f2);
    kabs += WGK[j] * (abs(f1) + abs(f2));
    if (j & 1) g += WG[j >> 1] * (f1 + f2);
  }
  depth--;
  // QUADPACK's error estimate: |K − G| rescaled by the integral of |f − mean| (resasc).
  const mean = 0.5 * k;
  let asc = WGK[7] * abs(fc - mean);
  for (let j = 0; j < 7; j++) asc += WGK[j] * (abs(fv[2 * j] - mean) + abs(fv[2 * j + 1] - mean));
  const ah = abs(h);
  const resasc = asc * ah;
  let err = abs((k - g) * h);
  if (resasc !== 0 && err !== 0) err = resasc * min(1, ((200 * err) / resasc) ** 1.5);
  const resabs = kabs * ah;
  if (resabs > 1e-290) err = max(50 * Number.EPSILON * resabs, err);
  return [k * h, err];
}

const scratch: Float64Array[] = [];
let depth = 0;

/**
 * ∫_a^b f with absolute error target `tol` (an estimate, not a certificate), by globally adaptive
 * bisection: the interval with the largest error estimate is split until the summed estimate meets `tol` or
 * `maxIntervals` intervals exist (so rounding noise in f can never trigger unbounded refinement).
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  tol: number,
  maxIntervals = 400,
): number {
  if (!(b > a)) return 0;
  const lo: number[] = [a];
  const hi: number[] = [b];
  const val: number[] = [];
  const err: number[] = [];
  const [v0, e0] = gk15(f, a, b);
  val.push(v0);
  err.push(e0);
  let total = v0;
  let totalErr = e0;
  // A binary max-heap of interval indices keyed by error.
  const heap: number[] = [0];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (err[heap[p]] >= err[heap[i]]) break;
      const t = heap[p];
      heap[p] = heap[i];
      heap[i] = t;
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && err[heap[l]] > err[heap[m]]) m = l;
      if (r < heap.length && err[heap[r]] > err[heap[m]]) m = r;
      if (m === i) return;
      const t = heap[m];
      heap[m] = heap[i];
      heap[i] = t;
      i = m;
    }
  };
  while (totalErr > tol && val.length < maxIntervals) {
    const k = heap[0];
    const mid = 0.5 * (lo[k] + hi[k]);
    if (!(mid > lo[k] && mid < hi[k])) break;
    const [vl, el] = gk15(f, lo[k], mid);
    const [vr, er] = gk15(f, mid, hi[k]);
    total += vl + vr - val[k];
    totalErr += el + er - err[k];
    const n = val.length;
    lo.push(mid);
    hi.push(hi[k]);
    val.push(vr);
    err.push(er);
    hi[k] = mid;
    val[k] = vl;
    err[k] = el;
    down(0);
    heap.push(n);
    up(heap.length - 1);
  }
  return total;
}
