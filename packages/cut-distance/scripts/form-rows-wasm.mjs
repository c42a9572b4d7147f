/**
 * Generates the WebAssembly SIMD row kernels of the deterministic certificate's forming pass
 * (src/internal/form-rows.wat, the readable source) and their binary (src/internal/form-rows-wasm.ts,
 * base64), compiled with wabt:
 *
 *     node scripts/form-rows-wasm.mjs           # write both files
 *     node scripts/form-rows-wasm.mjs --check   # exit 1 if either file differs from what this script makes
 *
 * One-term kernels `scaleRow<in>To<out>(hp, ri, coef, n, g, rb, kappa, kappaW, value, out, acc)` do, for q in
 * [0, n),
 *
 *     mass = (hp·g_q)·(coef·value_q),  w = |mass|,  x = (mass·ri)·rb_q,  out_q = x,  κ_q += mass,  κW_q += w,
 *
 * and write acc = [Σ mass, Σ w, Σ x², Σ x²]; value is float32 (`scaleRowF32…`, widened exactly) or float64
 * (`scaleRowF64…`), out float64 (`…ToF64`) or x rounded to float32 (`…ToF32`, round to nearest as a
 * Float32Array store). The kernel of a row of several terms, `scaleRowWithMagnitudes(hp, ri, n, g, rb, kappa,
 * kappaW, value, abs, out, acc)`, reads the float64 value row and magnitude row abs and does
 *
 *     hg = hp·g_q,  mass = hg·value_q,  w = hg·abs_q,  x = (mass·ri)·rb_q,  out_q = x,  κ_q += mass,  κW_q += w,
 *
 * with acc = [Σ mass, Σ w, Σ x², Σ ((w·ri)·rb_q)²] and a float64 out. Pointers are byte addresses, float64
 * arrays 16-byte aligned. Every product is one IEEE float64 operation in the order written (no fused
 * multiply-add), so out, κ and κW equal the JavaScript loop's bit for bit. The row sums run in four lanes,
 * q mod 4, for q < n − n mod 4 (two f64x2 accumulators, lanes (0, 1) and (2, 3)); the remaining q are summed
 * in order into a fifth, and the result is ((l₀ + l₂) + (l₁ + l₃)) + l₄: the JavaScript fallback sums in
 * exactly this order.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitWasmModule } from '@graphon-pai/tooling/wasm-module';

const here = dirname(fileURLToPath(import.meta.url));
const watPath = join(here, '..', 'src', 'internal', 'form-rows.wat');
const tsPath = join(here, '..', 'src', 'internal', 'form-rows-wasm.ts');

/**
 * One kernel: `input` 'f32' or 'f64' (one term, the value row scaled by coef) or 'magnitudes' (value and
 * magnitude rows in float64), `output` 'f64' or 'f32'.
 */
function kernel(input, output) {
  const magnitudes = input === 'magnitudes';
  const out32 = output === 'f32';
  // Accumulators: ρ, Σ w, Σ x² and, with magnitudes, Σ ws² (vector lanes (0, 1), (2, 3), then the scalar).
  const sums = magnitudes ? ['rho', 'w', 'f', 'v'] : ['rho', 'w', 'f'];
  const lines = [];
  const emit = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  const at = (ptr, shift) => `(i32.add (local.get ${ptr}) (i32.shl (local.get $q) (i32.const ${shift})))`;
  const name = magnitudes
    ? 'scaleRowWithMagnitudes'
    : `scaleRow${input === 'f32' ? 'F32' : 'F64'}To${out32 ? 'F32' : 'F64'}`;
  emit(1, `(func (export "${name}")`);
  emit(2, `(param $hp f64) (param $ri f64)${magnitudes ? '' : ' (param $coef f64)'} (param $n i32)`);
  emit(
    2,
    `(param $g i32) (param $rb i32) (param $kappa i32) (param $kappaW i32) (param $value i32)${magnitudes ? ' (param $abs i32)' : ''}`,
  );
  emit(2, '(param $out i32) (param $acc i32)');
  emit(2, '(local $q i32) (local $n4 i32) (local $a i32)');
  emit(
    2,
    '(local $hpv v128) (local $riv v128) (local $coefv v128) (local $hg v128) (local $mass v128) (local $wv v128) (local $x v128)',
  );
  for (const s of sums) emit(2, `(local $${s}A v128) (local $${s}B v128) (local $${s} f64)`);
  emit(2, '(local $hs f64) (local $m f64) (local $ws f64) (local $xs f64)');
  emit(2, '(local.set $hpv (f64x2.splat (local.get $hp)))');
  emit(2, '(local.set $riv (f64x2.splat (local.get $ri)))');
  if (!magnitudes) emit(2, '(local.set $coefv (f64x2.splat (local.get $coef)))');
  emit(2, '(local.set $n4 (i32.and (local.get $n) (i32.const -4)))');
  emit(2, '(block $main_done');
  emit(3, '(loop $main');
  emit(4, '(br_if $main_done (i32.ge_u (local.get $q) (local.get $n4)))');
  for (const half of [0, 1]) {
    const lane = half === 0 ? 'A' : 'B';
    const o = `offset=${16 * half}`;
    if (magnitudes) {
      emit(4, `(local.set $hg (f64x2.mul (local.get $hpv) (v128.load ${o} ${at('$g', 3)})))`);
      emit(4, `(local.set $mass (f64x2.mul (local.get $hg) (v128.load ${o} ${at('$value', 3)})))`);
      emit(4, `(local.set $wv (f64x2.mul (local.get $hg) (v128.load ${o} ${at('$abs', 3)})))`);
    } else {
      const value =
        input === 'f32'
          ? `(f64x2.promote_low_f32x4 (v128.load64_zero offset=${8 * half} ${at('$value', 2)}))`
          : `(v128.load ${o} ${at('$value', 3)})`;
      emit(4, `(local.set $mass (f64x2.mul (f64x2.mul (local.get $hpv) (v128.load ${o} ${at('$g', 3)}))`);
      emit(5, `(f64x2.mul (local.get $coefv) ${value})))`);
      emit(4, '(local.set $wv (f64x2.abs (local.get $mass)))');
    }
    emit(4, `(local.set $rho${lane} (f64x2.add (local.get $rho${lane}) (local.get $mass)))`);
    emit(4, `(local.set $w${lane} (f64x2.add (local.get $w${lane}) (local.get $wv)))`);
    emit(4, `(local.set $a ${at('$kappa', 3)})`);
    emit(4, `(v128.store ${o} (local.get $a) (f64x2.add (v128.load ${o} (local.get $a)) (local.get $mass)))`);
    emit(4, `(local.set $a ${at('$kappaW', 3)})`);
    emit(4, `(v128.store ${o} (local.get $a) (f64x2.add (v128.load ${o} (local.get $a)) (local.get $wv)))`);
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
    if (magnitudes) {
      emit(
        4,
        `(local.set $x (f64x2.mul (f64x2.mul (local.get $wv) (local.get $riv)) (v128.load ${o} ${at('$rb', 3)})))`,
      );
      emit(
        4,
        `(local.set $v${lane} (f64x2.add (local.get $v${lane}) (f64x2.mul (local.get $x) (local.get $x))))`,
      );
    }
  }
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 4)))');
  emit(4, '(br $main)))');
  // (l₀ + l₂) + (l₁ + l₃)
  for (const s of sums) emit(2, `(local.set $${s}A (f64x2.add (local.get $${s}A) (local.get $${s}B)))`);
  emit(2, '(block $tail_done');
  emit(3, '(loop $tail');
  emit(4, '(br_if $tail_done (i32.ge_u (local.get $q) (local.get $n)))');
  if (magnitudes) {
    emit(4, `(local.set $hs (f64.mul (local.get $hp) (f64.load ${at('$g', 3)})))`);
    emit(4, `(local.set $m (f64.mul (local.get $hs) (f64.load ${at('$value', 3)})))`);
    emit(4, `(local.set $ws (f64.mul (local.get $hs) (f64.load ${at('$abs', 3)})))`);
  } else {
    const value =
      input === 'f32' ? `(f64.promote_f32 (f32.load ${at('$value', 2)}))` : `(f64.load ${at('$value', 3)})`;
    emit(4, `(local.set $m (f64.mul (f64.mul (local.get $hp) (f64.load ${at('$g', 3)}))`);
    emit(5, `(f64.mul (local.get $coef) ${value})))`);
    emit(4, '(local.set $ws (f64.abs (local.get $m)))');
  }
  emit(4, '(local.set $rho (f64.add (local.get $rho) (local.get $m)))');
  emit(4, '(local.set $w (f64.add (local.get $w) (local.get $ws)))');
  emit(4, `(local.set $a ${at('$kappa', 3)})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $m)))');
  emit(4, `(local.set $a ${at('$kappaW', 3)})`);
  emit(4, '(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $ws)))');
  emit(4, `(local.set $xs (f64.mul (f64.mul (local.get $m) (local.get $ri)) (f64.load ${at('$rb', 3)})))`);
  if (out32) emit(4, `(f32.store ${at('$out', 2)} (f32.demote_f64 (local.get $xs)))`);
  else emit(4, `(f64.store ${at('$out', 3)} (local.get $xs))`);
  emit(4, '(local.set $f (f64.add (local.get $f) (f64.mul (local.get $xs) (local.get $xs))))');
  if (magnitudes) {
    emit(4, `(local.set $xs (f64.mul (f64.mul (local.get $ws) (local.get $ri)) (f64.load ${at('$rb', 3)})))`);
    emit(4, '(local.set $v (f64.add (local.get $v) (f64.mul (local.get $xs) (local.get $xs))))');
  }
  emit(4, '(local.set $q (i32.add (local.get $q) (i32.const 1)))');
  emit(4, '(br $tail)))');
  // acc = ((l₀ + l₂) + (l₁ + l₃)) + tail sum per slot (one term: Σ x² in the last slot too).
  const total = (s) =>
    `(f64.add (f64.add (f64x2.extract_lane 0 (local.get $${s}A)) (f64x2.extract_lane 1 (local.get $${s}A))) (local.get $${s}))`;
  const slots = magnitudes ? sums : [...sums, 'f'];
  for (const [i, s] of slots.entries()) emit(2, `(f64.store offset=${8 * i} (local.get $acc) ${total(s)})`);
  emit(1, ')');
  return lines.join('\n');
}

/**
 * `accumulateRow<in>(value, abs, src, coef, n, first)`: one dense term of a row of several terms, t_q =
 * coef·src_q (src float32, widened exactly, or float64): value_q = 0 + t_q and abs_q = |t_q| for the first
 * term (`first` ≠ 0), else value_q += t_q and abs_q += |t_q| — the operator's value and magnitude rows, summed
 * term by term in the same order.
 */
function accumulateKernel(input) {
  const f32 = input === 'f32';
  const lines = [];
  const emit = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  const at = (ptr, shift) => `(i32.add (local.get ${ptr}) (i32.shl (local.get $q) (i32.const ${shift})))`;
  const vectorSrc = f32
    ? `(f64x2.promote_low_f32x4 (v128.load64_zero ${at('$src', 2)}))`
    : `(v128.load ${at('$src', 3)})`;
  const scalarSrc = f32 ? `(f64.promote_f32 (f32.load ${at('$src', 2)}))` : `(f64.load ${at('$src', 3)})`;
  emit(1, `(func (export "accumulateRow${f32 ? 'F32' : 'F64'}")`);
  emit(
    2,
    '(param $value i32) (param $abs i32) (param $src i32) (param $coef f64) (param $n i32) (param $first i32)',
  );
  emit(2, '(local $q i32) (local $n2 i32) (local $coefv v128) (local $t v128) (local $ts f64)');
  emit(2, '(local.set $coefv (f64x2.splat (local.get $coef)))');
  emit(2, '(local.set $n2 (i32.and (local.get $n) (i32.const -2)))');
  for (const first of [true, false]) {
    const label = first ? 'first' : 'rest';
    const body = [];
    const vec = first
      ? [
          `(v128.store ${at('$value', 3)} (f64x2.add (f64x2.splat (f64.const 0)) (local.get $t)))`,
          `(v128.store ${at('$abs', 3)} (f64x2.abs (local.get $t)))`,
        ]
      : [
          `(v128.store ${at('$value', 3)} (f64x2.add (v128.load ${at('$value', 3)}) (local.get $t)))`,
          `(v128.store ${at('$abs', 3)} (f64x2.add (v128.load ${at('$abs', 3)}) (f64x2.abs (local.get $t))))`,
        ];
    const sca = first
      ? [
          `(f64.store ${at('$value', 3)} (f64.add (f64.const 0) (local.get $ts)))`,
          `(f64.store ${at('$abs', 3)} (f64.abs (local.get $ts)))`,
        ]
      : [
          `(f64.store ${at('$value', 3)} (f64.add (f64.load ${at('$value', 3)}) (local.get $ts)))`,
          `(f64.store ${at('$abs', 3)} (f64.add (f64.load ${at('$abs', 3)}) (f64.abs (local.get $ts))))`,
        ];
    body.push(`(block $${label}_done`);
    body.push(`  (loop $${label}`);
    body.push(`    (br_if $${label}_done (i32.ge_u (local.get $q) (local.get $n2)))`);
    body.push(`    (local.set $t (f64x2.mul (local.get $coefv) ${vectorSrc}))`);
    for (const v of vec) body.push(`    ${v}`);
    body.push('    (local.set $q (i32.add (local.get $q) (i32.const 2)))');
    body.push(`    (br $${label})))`);
    // The odd last entry.
    body.push('(if (i32.lt_u (local.get $q) (local.get $n)) (then');
    body.push(`  (local.set $ts (f64.mul (local.get $coef) ${scalarSrc}))`);
    body.push(`  ${sca[0]}`);
    body.push(`  ${sca[1]}))`);
    emit(2, first ? '(if (local.get $first) (then' : '(else');
    for (const b of body) emit(3, b);
    emit(2, first ? ')' : '))');
  }
  emit(1, ')');
  return lines.join('\n');
}

export function wat() {
  return [
    ';; Generated by scripts/form-rows-wasm.mjs (edit that script, then run it): row kernels of the',
    ';; deterministic certificate. scaleRow<in>To<out>: out_q = ((hp·g_q)·(coef·value_q))·ri·rb_q, κ += mass, κW += |mass|,',
    ';; acc = [Σ mass, Σ |mass|, Σ x², Σ x²] summed in lanes q mod 4 and a tail lane: ((l0 + l2) + (l1 + l3)) + l4.',
    ';; scaleRowWithMagnitudes: the same for a row of several terms with its magnitude row abs (w = hp·g_q·abs_q);',
    ';; acc = [Σ mass, Σ w, Σ x², Σ ((w·ri)·rb_q)²]. accumulateRow<in>: value (=|+=) coef·src, abs (=|+=) |coef·src|.',
    '(module',
    '  (memory (export "memory") 1)',
    ...['f32', 'f64'].flatMap((input) => ['f64', 'f32'].map((output) => kernel(input, output))),
    kernel('magnitudes', 'f64'),
    accumulateKernel('f32'),
    accumulateKernel('f64'),
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
