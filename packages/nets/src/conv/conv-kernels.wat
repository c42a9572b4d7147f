;; The data movement of the convolution (see im2col.ts) on WebAssembly SIMD. Compiled by
;; scripts/conv-kernels-wasm.mjs into conv-kernels-wasm.ts; edit this file, then run that script.
;;
;; copy_rows(src, dst, blocks, rows, len, srcRow, srcBlock, dstRow, dstBlock): for blk < blocks, r < rows,
;;     dst[blk·dstBlock + r·dstRow + t] = src[blk·srcBlock + r·srcRow + t],   t < len
;; (src, dst byte offsets of float32 arrays in this module's memory; the rest in elements; the two ranges must
;; not overlap), four floats at a time, then one at a time.
;;
;; raise_wide(cols, stage, b, C, kh, kw, span, Wp, planeP): for n < b, c < C, i < kh, j < kw, t < span,
;;     stage[(n·C + c)·planeP + i·Wp + j + t] += cols[((c·kh + i)·kw + j)·b·span + n·span + t]
;; cols and stage are byte offsets of float32 arrays in this module's memory; sizes are in elements. Rows are
;; added four floats at a time (f32x4), then one float at a time for the last span mod 4.
(module
  (memory (export "memory") 1)
  (func (export "copy_rows")
    (param $src i32) (param $dst i32) (param $blocks i32) (param $rows i32) (param $len i32)
    (param $srcRow i32) (param $srcBlock i32) (param $dstRow i32) (param $dstBlock i32)
    (local $blk i32) (local $r i32) (local $t i32) (local $s i32) (local $d i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $len (i32.shl (local.get $len) (i32.const 2)))
    (local.set $srcRow (i32.shl (local.get $srcRow) (i32.const 2)))
    (local.set $srcBlock (i32.shl (local.get $srcBlock) (i32.const 2)))
    (local.set $dstRow (i32.shl (local.get $dstRow) (i32.const 2)))
    (local.set $dstBlock (i32.shl (local.get $dstBlock) (i32.const 2)))
    (local.set $blk (i32.const 0))
    (block $blk_done (loop $blk_loop
      (br_if $blk_done (i32.ge_u (local.get $blk) (local.get $blocks)))
      (local.set $r (i32.const 0))
      (block $r_done (loop $r_loop
        (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
        ;; byte offsets of this row in src and dst
        (local.set $s (i32.add (local.get $src)
          (i32.add (i32.mul (local.get $blk) (local.get $srcBlock)) (i32.mul (local.get $r) (local.get $srcRow)))))
        (local.set $d (i32.add (local.get $dst)
          (i32.add (i32.mul (local.get $blk) (local.get $dstBlock)) (i32.mul (local.get $r) (local.get $dstRow)))))
        (local.set $t (i32.const 0))
        (block $v_done (loop $v_loop
          (br_if $v_done (i32.ge_u (local.get $t) (local.get $vecEnd)))
          (v128.store (i32.add (local.get $d) (local.get $t)) (v128.load (i32.add (local.get $s) (local.get $t))))
          (local.set $t (i32.add (local.get $t) (i32.const 16)))
          (br $v_loop)))
        (block $s_done (loop $s_loop
          (br_if $s_done (i32.ge_u (local.get $t) (local.get $len)))
          (f32.store (i32.add (local.get $d) (local.get $t)) (f32.load (i32.add (local.get $s) (local.get $t))))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br $s_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $r_loop)))
      (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
      (br $blk_loop)))
  )
  (func (export "raise_wide")
    (param $cols i32) (param $stage i32) (param $b i32) (param $C i32) (param $kh i32) (param $kw i32)
    (param $span i32) (param $Wp i32) (param $planeP i32)
    (local $n i32) (local $c i32) (local $i i32) (local $j i32) (local $t i32)
    (local $plane i32) (local $src i32) (local $dst i32) (local $rowBytes i32) (local $vecEnd i32)
    ;; bytes between rows k and k+1 of cols
    (local.set $rowBytes (i32.shl (i32.mul (local.get $b) (local.get $span)) (i32.const 2)))
    ;; span rounded down to a multiple of 4
    (local.set $vecEnd (i32.and (local.get $span) (i32.const -4)))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
      (local.set $c (i32.const 0))
      (block $c_done (loop $c_loop
        (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
        ;; byte offset of plane (n, c) of the stage
        (local.set $plane (i32.add (local.get $stage)
          (i32.shl (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $planeP))
                   (i32.const 2))))
        ;; byte offset of row (c, 0, 0), sample n, of cols
        (local.set $src (i32.add (local.get $cols)
          (i32.add (i32.mul (i32.mul (local.get $c) (i32.mul (local.get $kh) (local.get $kw))) (local.get $rowBytes))
                   (i32.shl (i32.mul (local.get $n) (local.get $span)) (i32.const 2)))))
        (local.set $i (i32.const 0))
        (block $i_done (loop $i_loop
          (br_if $i_done (i32.ge_u (local.get $i) (local.get $kh)))
          (local.set $j (i32.const 0))
          (block $j_done (loop $j_loop
            (br_if $j_done (i32.ge_u (local.get $j) (local.get $kw)))
            (local.set $dst (i32.add (local.get $plane)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $Wp)) (local.get $j)) (i32.const 2))))
            (local.set $t (i32.const 0))
            (block $v_done (loop $v_loop
              (br_if $v_done (i32.ge_u (local.get $t) (local.get $vecEnd)))
              (v128.store (i32.add (local.get $dst) (i32.shl (local.get $t) (i32.const 2)))
                (f32x4.add
                  (v128.load (i32.add (local.get $dst) (i32.shl (local.get $t) (i32.const 2))))
                  (v128.load (i32.add (local.get $src) (i32.shl (local.get $t) (i32.const 2))))))
              (local.set $t (i32.add (local.get $t) (i32.const 4)))
              (br $v_loop)))
            (block $s_done (loop $s_loop
              (br_if $s_done (i32.ge_u (local.get $t) (local.get $span)))
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $t) (i32.const 2)))
                (f32.add
                  (f32.load (i32.add (local.get $dst) (i32.shl (local.get $t) (i32.const 2))))
                  (f32.load (i32.add (local.get $src) (i32.shl (local.get $t) (i32.const 2))))))
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              (br $s_loop)))
            (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $j_loop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $i_loop)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $c_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )
)
