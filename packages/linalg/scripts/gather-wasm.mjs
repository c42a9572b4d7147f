/**
 * Generates the WebAssembly gather kernels of `bitMatrixOperator` (src/internal/gather.wat, the readable
 * source) and their binary (src/internal/gather-wasm.ts, base64), compiled with wabt:
 *
 *     node scripts/gather-wasm.mjs           # write both files
 *     node scripts/gather-wasm.mjs --check   # exit 1 if either file differs from what this script makes
 *
 * Each kernel `gather<w>(ptr, idx, n, x, out, stride)` computes, for i in [0, n),
 *
 *     out[i, 0..w) = Σ_{p ∈ [ptr[i], ptr[i+1])} x[idx[p], 0..w)
 *
 * over a compressed index (ptr: n + 1 int32 offsets, idx: uint16 positions), where x and out are row-major
 * float64 blocks whose rows are `stride` bytes apart (w ≤ stride / 8 columns are summed: a column slice of
 * a wider block). w = 1 sums scalars; w = 2, 4, 8 sum f64x2 vectors. Each kernel keeps at least four
 * independent accumulators (unrolling over p) so that the add latency does not serialise the gathers; the
 * accumulators are summed pairwise at the end of each row.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitWasmModule } from '@graphon-pai/tooling/wasm-module';

const here = dirname(fileURLToPath(import.meta.url));
const watPath = join(here, '..', 'src', 'internal', 'gather.wat');
const tsPath = join(here, '..', 'src', 'internal', 'gather-wasm.ts');

/** Pairwise sum of the expressions (a balanced tree, so the order is fixed and documented). */
function pairwise(terms, add) {
  while (terms.length > 1) {
    const next = [];
    for (let i = 0; i < terms.length; i += 2)
      next.push(i + 1 < terms.length ? `(${add} ${terms[i]} ${terms[i + 1]})` : terms[i]);
    terms = next;
  }
  return terms[0];
}

function kernel(w) {
  const scalar = w === 1;
  const type = scalar ? 'f64' : 'v128';
  const add = scalar ? 'f64.add' : 'f64x2.add';
  const load = scalar ? 'f64.load' : 'v128.load';
  const store = scalar ? 'f64.store' : 'v128.store';
  const zero = scalar ? '(f64.const 0)' : '(v128.const f64x2 0 0)';
  const vectors = scalar ? 1 : w / 2; // loads per index
  const unroll = Math.max(1, Math.ceil(4 / vectors)); // indices per main-loop iteration
  const acc = (u, v) => `$a${u}_${v}`;
  const lines = [];
  const emit = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  emit(1, `(func (export "gather${w}")`);
  emit(
    2,
    '(param $ptr i32) (param $idx i32) (param $n i32) (param $x i32) (param $out i32) (param $stride i32)',
  );
  emit(2, '(local $i i32) (local $p i32) (local $e i32) (local $q i32) (local $r i32) (local $a i32)');
  for (let u = 0; u < unroll; u++) for (let v = 0; v < vectors; v++) emit(2, `(local ${acc(u, v)} ${type})`);
  emit(2, '(local.set $r (local.get $out))');
  emit(2, '(block $rows_done');
  emit(3, '(loop $rows');
  emit(4, '(br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))');
  emit(4, '(local.set $q (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))');
  emit(4, '(local.set $p (i32.load (local.get $q)))');
  emit(4, '(local.set $e (i32.load offset=4 (local.get $q)))');
  for (let u = 0; u < unroll; u++)
    for (let v = 0; v < vectors; v++) emit(4, `(local.set ${acc(u, v)} ${zero})`);
  // $q walks the index list as a byte address.
  emit(4, '(local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 1))))');
  const gatherInto = (indent, u, offset) => {
    const row = `(i32.add (local.get $x) (i32.mul (i32.load16_u offset=${offset} (local.get $q)) (local.get $stride)))`;
    if (vectors === 1) {
      emit(indent, `(local.set ${acc(u, 0)} (${add} (local.get ${acc(u, 0)}) (${load} ${row})))`);
      return;
    }
    emit(indent, `(local.set $a ${row})`);
    for (let v = 0; v < vectors; v++) {
      emit(
        indent,
        `(local.set ${acc(u, v)} (${add} (local.get ${acc(u, v)}) (${load} offset=${16 * v} (local.get $a))))`,
      );
    }
  };
  if (unroll > 1) {
    emit(4, '(block $main_done');
    emit(5, '(loop $main');
    emit(6, `(br_if $main_done (i32.gt_s (i32.add (local.get $p) (i32.const ${unroll})) (local.get $e)))`);
    for (let u = 0; u < unroll; u++) gatherInto(6, u, 2 * u);
    emit(6, `(local.set $p (i32.add (local.get $p) (i32.const ${unroll})))`);
    emit(6, `(local.set $q (i32.add (local.get $q) (i32.const ${2 * unroll})))`);
    emit(6, '(br $main)))');
  }
  emit(4, '(block $tail_done');
  emit(5, '(loop $tail');
  emit(6, '(br_if $tail_done (i32.ge_s (local.get $p) (local.get $e)))');
  gatherInto(6, 0, 0);
  emit(6, '(local.set $p (i32.add (local.get $p) (i32.const 1)))');
  emit(6, '(local.set $q (i32.add (local.get $q) (i32.const 2)))');
  emit(6, '(br $tail)))');
  for (let v = 0; v < vectors; v++) {
    const sum = pairwise(
      Array.from({ length: unroll }, (_, u) => `(local.get ${acc(u, v)})`),
      add,
    );
    emit(4, `(${store} offset=${16 * v} (local.get $r) ${sum})`);
  }
  emit(4, '(local.set $r (i32.add (local.get $r) (local.get $stride)))');
  emit(4, '(local.set $i (i32.add (local.get $i) (i32.const 1)))');
  emit(4, '(br $rows)))');
  emit(1, ')');
  return lines.join('\n');
}

export function wat() {
  return [
    ';; Generated by scripts/gather-wasm.mjs (edit that script, then run it): gather kernels of',
    ';; bitMatrixOperator. gather<w>: out[i, 0..w) = Σ_{p ∈ [ptr[i], ptr[i+1])} x[idx[p], 0..w), rows `stride` bytes apart.',
    '(module',
    '  (memory (export "memory") 1)',
    ...[1, 2, 4, 8].map(kernel),
    ')',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await emitWasmModule({
    script: 'gather-wasm.mjs',
    wat: wat(),
    watPath,
    tsPath,
    writeWat: true,
    constName: 'GATHER_WASM_BASE64',
    doc: 'The compiled gather kernels (WebAssembly with SIMD), base64.',
  });
}
