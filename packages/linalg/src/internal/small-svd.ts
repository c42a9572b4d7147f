/**
 * SVD of a small square matrix by one-sided Jacobi (Hestenes): R·V = U·S, rotating pairs of columns of R
 * until all are mutually orthogonal to working precision. Accurate to high relative precision, O(l³) per
 * sweep; used on the l×l projected matrices of the iterative methods (l ≲ 100).
 */
export interface SmallSvd {
  /** Singular values, descending. */
  s: Float64Array;
  /** l×l row-major, column j = left singular vector j. */
  u: Float64Array;
  /** l×l row-major, column j = right singular vector j. */
  v: Float64Array;
}

export function jacobiSvd(r: Float64Array, l: number): SmallSvd {
  // Row j of mt is column j of R; row j of vt is column j of V.
  const mt = new Float64Array(l * l);
  const vt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < l; j++) mt[j * l + i] = r[i * l + j];
    vt[i * l + i] = 1;
  }
  const eps = 2 ** -52;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < l - 1; p++) {
      const po = p * l;
      for (let q = p + 1; q < l; q++) {
        const qo = q * l;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < l; i++) {
          const x = mt[po + i];
          const y = mt[qo + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < l; i++) {
          const x = mt[po + i];
          const y = mt[qo + i];
          mt[po + i] = c * x - s * y;
          mt[qo + i] = s * x + c * y;
          const vx = vt[po + i];
          const vy = vt[qo + i];
          vt[po + i] = c * vx - s * vy;
          vt[qo + i] = s * vx + c * vy;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(l);
  for (let j = 0; j < l; j++) {
    let ss = 0;
    for (let i = 0; i < l; i++) ss += mt[j * l + i] * mt[j * l + i];
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: l }, (_, j) => j).sort((p, q) => norms[q] - norms[p]);
  const s = new Float64Array(l);
  const u = new Float64Array(l * l);
  const v = new Float64Array(l * l);
  const smax = l > 0 ? norms[order[0]] : 0;
  for (let jj = 0; jj < l; jj++) {
    const j = order[jj];
    s[jj] = norms[j];
    for (let i = 0; i < l; i++) v[i * l + jj] = vt[j * l + i];
    if (norms[j] > l * eps * smax && norms[j] > 0) {
      const inv = 1 / norms[j];
      for (let i = 0; i < l; i++) u[i * l + jj] = mt[j * l + i] * inv;
    } else {
      s[jj] = norms[j];
      completeColumn(u, l, jj);
    }
  }
  return { s, u, v };
}

/** Fills column j of the l×l row-major u with a unit vector orthogonal to columns 0..j-1. */
function completeColumn(u: Float64Array, l: number, j: number): void {
  let best = -1;
  for (let e = 0; e < l; e++) {
    for (let i = 0; i < l; i++) u[i * l + j] = i === e ? 1 : 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < j; c++) {
        let d = 0;
        for (let i = 0; i < l; i++) d += u[i * l + c] * u[i * l + j];
        for (let i = 0; i < l; i++) u[i * l + j] -= d * u[i * l + c];
      }
    }
    let nn = 0;
    for (let i = 0; i < l; i++) nn += u[i * l + j] * u[i * l + j];
    if (nn > 0.25) {
      best = e;
      const inv = 1 / Math.sqrt(nn);
      for (let i = 0; i < l; i++) u[i * l + j] *= inv;
      break;
    }
  }
  if (best < 0) throw new Error('unreachable: no completion vector');
}
