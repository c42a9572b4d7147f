/**
 * Generates the WebAssembly SIMD row kernels of the deterministic certificate's forming pass
 * (src/internal/form-rows.wat, the readable source) and their binary (src/internal/form-rows-wasm.ts,
 * base64), compiled with wabt:
 *
 *     node scripts/form-rows-wasm.mjs           # write both files
 *     node scripts/form-rows-wasm.mjs --check   # exit 1 if either file differs from what this script makes
 *
 * Each kernel `scaleRow<in>To<out>(hp, ri, coef, n, g, rb, kappa, kappaW, value, out, acc)` does, for q in [0, n),
 *
 *     mass = (hp·g_q)·(coef·value_q),  x = (mass·ri)·rb_q,  out_q = x,
 *     κ_q += mass,  κW_q += |mass|,
 *
 * and writes acc = [Σ mass, Σ |mass|, Σ x², Σ x²] (float64; value is float32 (`scaleRowF32`, widened
 * exactly) or float64 (`scaleRowF64…`); out is float64 (`…ToF64`) or x rounded to float32 (`…ToF32`,
 * round to nearest as a Float32Array store); pointers are byte addresses, float64 arrays 16-byte aligned). Every
 * product is one IEEE float64 operation in the order written (no fused multiply-add), so out, κ and κW equal
 * the JavaScript loop's bit for bit. The three row sums run in four lanes, q mod 4, for q < n − n mod 4 (two
 * f64x2 accumulators, lanes (0, 1) and (2, 3)); the remaining q are summed in order into a fifth, and the
 * result is ((l₀ + l₂) + (l₁ + l₃)) + l₄: the JavaScript fallback sums in exactly this order.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitWasmModule } from '@graphon-pai/tooling/wasm-module';

const here = dirname(fileURLToPath(import.meta.url));
const watPath = join(here, '..', 'src', 'internal', 'form-rows.wat');
const tsPath = join(here, '..', 'src', 'internal', 'form-rows-wasm.ts');

/** The three row sums: accumulator names (vector lanes (0, 1), (2, 3), then the scalar). */
const SUMS = ['rho', 'w', 'f'];

function kernel(input, output) {
  const f32 = input === 'f32';
  const out32 = output === 'f32';
  const lines = [];
  const emit = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  const at = (ptr, shift) => `(i32.add (local.get ${ptr}) (i32.shl (local.get $q) (i32.const ${shift})))`;
  const loadValue = (half) =>
    f32
      ? `(f64x2.promote_low_f32x4 (v128.load64_zero offset=${8 * half} ${at('$value', 2)}))`
      : `(v128.load offset=${16 * half} ${at('$value', 3)})`;
  emit(1, `(func (export "scaleRow${f32 ? 'F32' : 'F64'}To${out32 ? 'F32' : 'F64'}")`);
  emit(2, '(param $hp f64) (param $ri f64) (param $coef f64) (param $n i32)');
  emit(2, '(param $g i32) (param $rb i32) (param $kappa i32) (param $kappaW i32) (param $value i32)');
  emit(2, '(param $out i32) (param $acc i32)');
  emit(2, '(local $q i32) (local $n4 i32) (local $a i32)');
  emit(2, '(local $hpv v128) (local $riv v128) (local $coefv v128) (local $mass v128) (local $x v128)');
  for (const s of SUMS) emit(2, `(local $${s}A v128) (local $${s}B v128) (local $${s} f64)`);
  emit(2, '(local $m f64) (local $xs f64)');
  emit(2, '(local.set $hpv (f64x2.splat (local.get $hp)))');
  emit(2, '(local.set $riv (f64x2.splat (local.get $ri)))');
  emit(2, '(local.set $coefv (f64x2.splat (local.get $coef)))');
  emit(2, '(local.set $n4 (i32.and (local.get $n) (i32.const -4)))');
  emit(2, '(block $main_done');
  emit(3, '(loop $main');
  emit(4, '(br_if $main_done (i32.ge_u (local.get $q) (local.get $n4)))');
  for (const half of [0, 1]) {
    const lane = half === 0 ? 'A' : 'B';
    const o = `offset=${16 * half}`;
    emit(4, `(local.set $mass (f64x2.mul (f64x2.mul (local.get $hpv) (v128.load ${o} ${at('$g', 3)}))`);
    emit(5, `(f64x2.mul (local.get $coefv) ${loadValue(half)})))`);
    emit(4, `(local.set $rho${lane} (f64x2.add (local.get $rho${lane}) (local.get $mass)))`);
    emit(4, `(local.set $w${lane} (f64x2.add (local.get $w${lane}) (f64x2.abs (local.get $mass))))`);
    emit(4, `(local.set $a ${at('$kappa', 3)})`);
    emit(4, `(v128.store ${o} (local.get $a) (f64x2.add (v128.load ${o} (local.get $a)) (local.get $mass)))`);
    emit(4, `(local.set $a ${at('$kappaW', 3)})`);
    emit(4, `(v128.store ${o} (local.get $a)`);
    emit(5, `(f64x2.add (v128.load ${o} (local.get $a)) (f64x2.abs (local.get $mass))))`);
    emit(
      4,
      `(local.set $x (f64x2.mul (f64x2.mul (local.get $mass) (local.get $riv)) (v128.load ${o} ${at('$rb', 3)})))`,
    );
    if (out32)
      emit(
        4,
        `(v128.store64_lane offset=${8 * half} 0 ${at('$out', 2)} (f32x4.demote_f64x2_zero (local.get $x)))`,
      );
    else emit(4, `(v128.store ${o} ${at('$out', 3)} (local.get $x))`);
    emit(
      4,
      `(local.set $f${lane} (f64x2.add (local.get $f${lane}) (f64x2.mul (local.get $x) (local.get $x))))`,
    );
  }
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 4)))');
  emit(4, '(br $main)))');
  // (l₀ + l₂) + (l₁ + l₃)
  for (const s of SUMS) {
    emit(2, `(local.set $${s}A (f64x2.add (local.get $${s}A) (local.get $${s}B)))`);
  }
  const scalarValue = f32
    ? `(f64.promote_f32 (f32.load ${at('$value', 2)}))`
    : `(f64.load ${at('$value', 3)})`;
  emit(2, '(block $tail_done');
  emit(3, '(loop $tail');
  emit(4, '(br_if $tail_done (i32.ge_u (local.get $q) (local.get $n)))');
  emit(4, `(local.set $m (f64.mul (f64.mul (local.get $hp) (f64.load ${at('$g', 3)}))`);
  emit(5, `(f64.mul (local.get $coef) ${scalarValue})))`);
  emit(4, '(local.set $rho (f64.add (local.get $rho) (local.get $m)))');
  emit(4, '(local.set $w (f64.add (local.get $w) (f64.abs (local.get $m))))');
  emit(4, `(local.set $a ${at('$kappa', 3)})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $m)))');
  emit(4, `(local.set $a ${at('$kappaW', 3)})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.abs (local.get $m))))');
  emit(4, `(local.set $xs (f64.mul (f64.mul (local.get $m) (local.get $ri)) (f64.load ${at('$rb', 3)})))`);
  if (out32) emit(4, `(f32.store ${at('$out', 2)} (f32.demote_f64 (local.get $xs)))`);
  else emit(4, `(f64.store ${at('$out', 3)} (local.get $xs))`);
  emit(4, '(local.set $f (f64.add (local.get $f) (f64.mul (local.get $xs) (local.get $xs))))');
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 1)))');
  emit(4, '(br $tail)))');
  // acc = ((l₀ + l₂) + (l₁ + l₃)) + tail sum, Σ x² twice (slots ρ, Σ |mass|, Σ x², Σ (w·r_p·r_q)²).
  const total = (s) =>
    `(f64.add (f64.add (f64x2.extract_lane 0 (local.get $${s}A)) (f64x2.extract_lane 1 (local.get $${s}A))) (local.get $${s}))`;
  for (const [i, s] of ['rho', 'w', 'f', 'f'].entries())
    emit(2, `(f64.store offset=${8 * i} (local.get $acc) ${total(s)})`);
  emit(1, ')');
  return lines.join('\n');
}

/**
 * `scaleRowWithMagnitudes(hp, ri, n, g, rb, kappa, kappaW, value, abs, out, acc)`: the row of several terms,
 * value and magnitude row in float64 (the magnitudes Σ|terms| bound the row's rounding errors):
 *
 *     hg = hp·g_q,  mass = hg·value_q,  w = hg·abs_q,  x = (mass·ri)·rb_q,  ws = (w·ri)·rb_q,
 *     out_q = x,  κ_q += mass,  κW_q += w,
 *
 * and acc = [Σ mass, Σ w, Σ x², Σ ws²] in the same lanes as the one-term kernels.
 */
function magnitudeKernel() {
  const lines = [];
  const emit = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  const at = (ptr) => `(i32.add (local.get ${ptr}) (i32.shl (local.get $q) (i32.const 3)))`;
  const sums = ['rho', 'w', 'f', 'v'];
  emit(1, '(func (export "scaleRowWithMagnitudes")');
  emit(2, '(param $hp f64) (param $ri f64) (param $n i32)');
  emit(
    2,
    '(param $g i32) (param $rb i32) (param $kappa i32) (param $kappaW i32) (param $value i32) (param $abs i32)',
  );
  emit(2, '(param $out i32) (param $acc i32)');
  emit(2, '(local $q i32) (local $n4 i32) (local $a i32)');
  emit(
    2,
    '(local $hpv v128) (local $riv v128) (local $hg v128) (local $mass v128) (local $wv v128) (local $x v128)',
  );
  for (const s of sums) emit(2, `(local $${s}A v128) (local $${s}B v128) (local $${s} f64)`);
  emit(2, '(local $hs f64) (local $m f64) (local $ws f64) (local $xs f64)');
  emit(2, '(local.set $hpv (f64x2.splat (local.get $hp)))');
  emit(2, '(local.set $riv (f64x2.splat (local.get $ri)))');
  emit(2, '(local.set $n4 (i32.and (local.get $n) (i32.const -4)))');
  emit(2, '(block $main_done');
  emit(3, '(loop $main');
  emit(4, '(br_if $main_done (i32.ge_u (local.get $q) (local.get $n4)))');
  for (const half of [0, 1]) {
    const lane = half === 0 ? 'A' : 'B';
    const o = `offset=${16 * half}`;
    emit(4, `(local.set $hg (f64x2.mul (local.get $hpv) (v128.load ${o} ${at('$g')})))`);
    emit(4, `(local.set $mass (f64x2.mul (local.get $hg) (v128.load ${o} ${at('$value')})))`);
    emit(4, `(local.set $wv (f64x2.mul (local.get $hg) (v128.load ${o} ${at('$abs')})))`);
    emit(4, `(local.set $rho${lane} (f64x2.add (local.get $rho${lane}) (local.get $mass)))`);
    emit(4, `(local.set $w${lane} (f64x2.add (local.get $w${lane}) (local.get $wv)))`);
    emit(4, `(local.set $a ${at('$kappa')})`);
    emit(4, `(v128.store ${o} (local.get $a) (f64x2.add (v128.load ${o} (local.get $a)) (local.get $mass)))`);
    emit(4, `(local.set $a ${at('$kappaW')})`);
    emit(4, `(v128.store ${o} (local.get $a) (f64x2.add (v128.load ${o} (local.get $a)) (local.get $wv)))`);
    emit(
      4,
      `(local.set $x (f64x2.mul (f64x2.mul (local.get $mass) (local.get $riv)) (v128.load ${o} ${at('$rb')})))`,
    );
    emit(4, `(v128.store ${o} ${at('$out')} (local.get $x))`);
    emit(
      4,
      `(local.set $f${lane} (f64x2.add (local.get $f${lane}) (f64x2.mul (local.get $x) (local.get $x))))`,
    );
    emit(
      4,
      `(local.set $x (f64x2.mul (f64x2.mul (local.get $wv) (local.get $riv)) (v128.load ${o} ${at('$rb')})))`,
    );
    emit(
      4,
      `(local.set $v${lane} (f64x2.add (local.get $v${lane}) (f64x2.mul (local.get $x) (local.get $x))))`,
    );
  }
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 4)))');
  emit(4, '(br $main)))');
  for (const s of sums) emit(2, `(local.set $${s}A (f64x2.add (local.get $${s}A) (local.get $${s}B)))`);
  emit(2, '(block $tail_done');
  emit(3, '(loop $tail');
  emit(4, '(br_if $tail_done (i32.ge_u (local.get $q) (local.get $n)))');
  emit(4, `(local.set $hs (f64.mul (local.get $hp) (f64.load ${at('$g')})))`);
  emit(4, `(local.set $m (f64.mul (local.get $hs) (f64.load ${at('$value')})))`);
  emit(4, `(local.set $ws (f64.mul (local.get $hs) (f64.load ${at('$abs')})))`);
  emit(4, '(local.set $rho (f64.add (local.get $rho) (local.get $m)))');
  emit(4, '(local.set $w (f64.add (local.get $w) (local.get $ws)))');
  emit(4, `(local.set $a ${at('$kappa')})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $m)))');
  emit(4, `(local.set $a ${at('$kappaW')})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $ws)))');
  emit(4, `(local.set $xs (f64.mul (f64.mul (local.get $m) (local.get $ri)) (f64.load ${at('$rb')})))`);
  emit(4, `(f64.store ${at('$out')} (local.get $xs))`);
  emit(4, '(local.set $f (f64.add (local.get $f) (f64.mul (local.get $xs) (local.get $xs))))');
  emit(4, `(local.set $xs (f64.mul (f64.mul (local.get $ws) (local.get $ri)) (f64.load ${at('$rb')})))`);
  emit(4, '(local.set $v (f64.add (local.get $v) (f64.mul (local.get $xs) (local.get $xs))))');
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 1)))');
  emit(4, '(br $tail)))');
  const total = (s) =>
    `(f64.add (f64.add (f64x2.extract_lane 0 (local.get $${s}A)) (f64x2.extract_lane 1 (local.get $${s}A))) (local.get $${s}))`;
  for (const [i, s] of sums.entries()) emit(2, `(f64.store offset=${8 * i} (local.get $acc) ${total(s)})`);
  emit(1, ')');
  return lines.join('\n');
}

export function wat() {
  return [
    ';; Generated by scripts/form-rows-wasm.mjs (edit that script, then run it): row kernels of the',
    ';; deterministic certificate. scaleRow<in>To<out>: out_q = ((hp·g_q)·(coef·value_q))·ri·rb_q, κ += mass, κW += |mass|,',
    ';; acc = [Σ mass, Σ |mass|, Σ x², Σ x²] summed in lanes q mod 4 and a tail lane: ((l0 + l2) + (l1 + l3)) + l4.',
    ';; scaleRowWithMagnitudes: the same for a row of several terms with its magnitude row abs (w = hp·g_q·abs_q);',
    ';; acc = [Σ mass, Σ w, Σ x², Σ ((w·ri)·rb_q)²].',
    '(module',
    '  (memory (export "memory") 1)',
    ...['f32', 'f64'].flatMap((input) => ['f64', 'f32'].map((output) => kernel(input, output))),
    magnitudeKernel(),
    ')',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await emitWasmModule({
    script: 'form-rows-wasm.mjs',
    wat: wat(),
    watPath,
    tsPath,
    writeWat: true,
    constName: 'FORM_ROWS_WASM_BASE64',
    doc: 'The compiled row kernels of the certificate forming pass (WebAssembly with SIMD), base64.',
  });
}
