;; SIMD kernel of the fused selection pass (see ../radix-select.ts, `fusedFast`).
;; Compiled by ../../../scripts/build-wasm.mjs into fused-wasm.ts (base64); regenerate after editing.
;;
;; fused(src, rows, cols, out, cand, lo, hi, win) -> nc
;;   src : byte offset of rows·cols float32 bit patterns (row-major)
;;   out : byte offset where rows·ceil(cols/32) packed words are written (bit j of word = key > hi)
;;   cand: byte offset where the local flat indices of entries with lo ≤ key ≤ hi are written (u32)
;;   win : 0, or byte offset of eligibility words laid out like `out`: entries whose bit is 0 are neither
;;         kept nor candidates (iterative pruning inside the previous mask)
;;   key(b) = (b ^ ((b >> 31) & 0x7fffffff)) − (b >> 31)   (float order as signed int32; −0 = +0)
;; Sets the global `bad` to 1 when a bit pattern with an all-ones exponent (±∞, NaN) was read.
(module
  (memory (export "memory") 16)
  (global $bad (mut i32) (i32.const 0))
  (func (export "bad") (result i32) (global.get $bad))
  (func (export "resetBad") (global.set $bad (i32.const 0)))
  (func (export "fused")
    (param $src i32) (param $rows i32) (param $cols i32) (param $out i32) (param $cand i32)
    (param $lo i32) (param $hi i32) (param $win i32) (result i32)
    (local $r i32) (local $p i32) (local $end i32) (local $full i32) (local $w i32) (local $nc i32)
    (local $g i32) (local $j i32) (local $b i32) (local $m i32) (local $key i32) (local $q i32)
    (local $vhi v128) (local $vlo v128) (local $vmag v128) (local $vexp v128) (local $vinc v128)
    (local $vbad v128) (local $v v128) (local $vm v128) (local $vkey v128)
    (local $e i32) (local $vel v128) (local $vlanes v128)
    (local.set $vhi (i32x4.splat (local.get $hi)))
    (local.set $vlo (i32x4.splat (local.get $lo)))
    (local.set $vmag (i32x4.splat (i32.const 0x7fffffff)))
    (local.set $vexp (i32x4.splat (i32.const 0x7f800000)))
    (local.set $vinc (i32x4.splat (i32.const 0x00800000)))
    (local.set $vbad (v128.const i32x4 0 0 0 0))
    (local.set $vlanes (v128.const i32x4 1 2 4 8))
    (local.set $e (i32.const -1))
    (local.set $p (local.get $src))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $full (i32.add (local.get $p)
          (i32.shl (i32.and (local.get $cols) (i32.const -32)) (i32.const 2))))
        ;; full groups of 32 entries: 8 vectors of 4 → one word
        (block $groups_done
          (loop $group
            (br_if $groups_done (i32.ge_u (local.get $p) (local.get $full)))
            (local.set $w (i32.const 0))
            (local.set $g (i32.const 0))
            (if (local.get $win)
              (then
                (local.set $e (i32.load (local.get $win)))
                (local.set $win (i32.add (local.get $win) (i32.const 4)))))
            (loop $vec
              (local.set $vel (i32x4.ne
                (v128.and (i32x4.splat (i32.shr_u (local.get $e) (local.get $g))) (local.get $vlanes))
                (v128.const i32x4 0 0 0 0)))
              (local.set $v (v128.load (local.get $p)))
              (local.set $vbad (v128.or (local.get $vbad)
                (i32x4.add (v128.and (local.get $v) (local.get $vexp)) (local.get $vinc))))
              (local.set $vm (i32x4.shr_s (local.get $v) (i32.const 31)))
              (local.set $vkey (i32x4.sub
                (v128.xor (local.get $v) (v128.and (local.get $vm) (local.get $vmag)))
                (local.get $vm)))
              (local.set $w (i32.or (local.get $w)
                (i32.shl (i32x4.bitmask (v128.and (local.get $vel) (i32x4.gt_s (local.get $vkey) (local.get $vhi))))
                  (local.get $g))))
              (if (v128.any_true (v128.and (local.get $vel) (v128.and
                    (i32x4.ge_s (local.get $vkey) (local.get $vlo))
                    (i32x4.le_s (local.get $vkey) (local.get $vhi)))))
                (then
                  (local.set $j (i32.const 0))
                  (loop $lane
                    (local.set $q (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
                    (local.set $b (i32.load (local.get $q)))
                    (local.set $m (i32.shr_s (local.get $b) (i32.const 31)))
                    (local.set $key (i32.sub
                      (i32.xor (local.get $b) (i32.and (local.get $m) (i32.const 0x7fffffff)))
                      (local.get $m)))
                    (if (i32.and
                          (i32.and (i32.shr_u (local.get $e) (i32.add (local.get $g) (local.get $j))) (i32.const 1))
                          (i32.and (i32.ge_s (local.get $key) (local.get $lo)) (i32.le_s (local.get $key) (local.get $hi))))
                      (then
                        (i32.store (i32.add (local.get $cand) (i32.shl (local.get $nc) (i32.const 2)))
                          (i32.shr_u (i32.sub (local.get $q) (local.get $src)) (i32.const 2)))
                        (local.set $nc (i32.add (local.get $nc) (i32.const 1)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br_if $lane (i32.lt_u (local.get $j) (i32.const 4))))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (local.set $g (i32.add (local.get $g) (i32.const 4)))
              (br_if $vec (i32.lt_u (local.get $g) (i32.const 32))))
            (i32.store (local.get $out) (local.get $w))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br $group)))
        ;; tail of the row (< 32 entries), scalar
        (if (i32.lt_u (local.get $p) (local.get $end))
          (then
            (local.set $w (i32.const 0))
            (local.set $j (i32.const 0))
            (if (local.get $win)
              (then
                (local.set $e (i32.load (local.get $win)))
                (local.set $win (i32.add (local.get $win) (i32.const 4)))))
            (loop $tail
              (local.set $b (i32.load (local.get $p)))
              (if (i32.eq (i32.and (local.get $b) (i32.const 0x7f800000)) (i32.const 0x7f800000))
                (then (global.set $bad (i32.const 1))))
              (local.set $m (i32.shr_s (local.get $b) (i32.const 31)))
              (local.set $key (i32.sub
                (i32.xor (local.get $b) (i32.and (local.get $m) (i32.const 0x7fffffff)))
                (local.get $m)))
              (if (i32.and (i32.and (i32.shr_u (local.get $e) (local.get $j)) (i32.const 1))
                    (i32.gt_s (local.get $key) (local.get $hi)))
                (then (local.set $w (i32.or (local.get $w) (i32.shl (i32.const 1) (local.get $j))))))
              (if (i32.and (i32.and (i32.shr_u (local.get $e) (local.get $j)) (i32.const 1))
                    (i32.and (i32.ge_s (local.get $key) (local.get $lo)) (i32.le_s (local.get $key) (local.get $hi))))
                (then
                  (i32.store (i32.add (local.get $cand) (i32.shl (local.get $nc) (i32.const 2)))
                    (i32.shr_u (i32.sub (local.get $p) (local.get $src)) (i32.const 2)))
                  (local.set $nc (i32.add (local.get $nc) (i32.const 1)))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $tail (i32.lt_u (local.get $p) (local.get $end))))
            (i32.store (local.get $out) (local.get $w))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (if (i32.ne (i32x4.bitmask (local.get $vbad)) (i32.const 0))
      (then (global.set $bad (i32.const 1))))
    (local.get $nc)))
