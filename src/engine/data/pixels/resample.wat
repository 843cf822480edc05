;; Pillow-exact separable resize passes (Resample.c, 8-bit path) with 128-bit SIMD.
;;
;; Compiled by `npm run build:wasm` (scripts/build-resample-wasm.mjs, wabt) into
;; resample-wasm-bytes.ts; the loader is resample-wasm.ts, the reference is resample.ts.
;;
;; Memory: one exported linear memory that the loader grows and lays out per call as
;;   [source rows][temp rows][output rows][h first][h taps][h weights][v first][v taps][v weights]
;; Pixels are 8-bit RGB, interleaved, row-major. Both passes read and write whole 4-, 8- or
;; 16-byte groups, so the layout leaves room for them:
;; - the horizontal pass reads 8 bytes for a 3-byte pixel (v128.load8x8_u) and works on four rows
;;   at once, so source and temp rows are allocated in multiples of four, and every region is
;;   followed by 16 spare bytes (rows past the real ones hold leftovers; their results are unused);
;; - it stores 4 bytes for each 3-byte pixel: temp rows have a stride of at least width * 3 + 1,
;;   so the extra byte lands on the next pixel (written later) or the row's padding, never on a
;;   row of the same group that was already written;
;; - the vertical pass loads and stores 16 bytes at a time even where a row ends earlier: loads past
;;   a temp row read its padding or the next row, and a store past an output row is overwritten
;;   by the next row (rows are written in order) or lands in the spare bytes after the region.
;; Coefficients are i32 arrays as resample.ts computes them (PIL's precompute_coeffs):
;; first[i] = first input index of output i, taps[i] = number of inputs it reads,
;; weights[i * kernelSize + t] = weight of input first[i] + t in fixed point with 22 bits.
;;
;; Why this is bit-identical to resample.ts and to PIL: every sum is an i32 that starts at
;; 1 << 21 (rounding) and adds pixel * weight with i32 wrap-around, exactly like PIL's C ints and
;; the TS reference's Math.imul / `| 0`. Lanes never mix, so the order of additions per value is
;; the order of taps, as there. The result is clip8(sum): an arithmetic shift right by 22, then
;; clamped to 0..255, here by the two saturating narrows (i32 -> i16 signed, i16 -> u8 unsigned),
;; which equals PIL's clip8 for every i32 (sum <= 0 gives 0, sum >= 256 << 22 gives 255).
(module
  (memory (export "memory") 1)

  ;; 1 << 21 in every lane: PIL starts each accumulator at half of the last place.
  (global $half v128 (v128.const i32x4 2097152 2097152 2097152 2097152))


  ;; Horizontal pass: for each of `rows` rows at `src` (stride `srcStride` bytes, `rows` a multiple
  ;; of 4) and each output pixel i < outW, writes clip8(half + sum_t pixel[first[i] + t] *
  ;; weight[i][t]) per channel to row r of `dst` (stride `dstStride`). One tap of one row is one
  ;; i32x4 multiply-add of (R, G, B, next R) by the splatted weight (the fourth lane is computed and
  ;; dropped); four rows at a time, so each weight is loaded and splatted once per four of them.
  ;; The four rows' sums are written out written as plain code, not a helper function: V8 does not
  ;; inline calls between wasm functions.
  (func (export "horizontal")
    (param $src i32) (param $srcStride i32) (param $rows i32) (param $outW i32)
    (param $first i32) (param $taps i32) (param $weights i32) (param $kernelSize i32)
    (param $dst i32) (param $dstStride i32)
    (local $row i32) (local $rowEnd i32) (local $d i32) (local $i i32) (local $p i32) (local $end i32)
    (local $w i32) (local $wv v128) (local $s2 i32) (local $s3 i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $outW))) (then (return)))
    (local.set $s2 (i32.shl (local.get $srcStride) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $srcStride)))
    (local.set $row (local.get $src))
    (local.set $rowEnd (i32.add (local.get $src) (i32.mul (local.get $rows) (local.get $srcStride))))
    (loop $rowLoop
      (local.set $i (i32.const 0))
      (local.set $d (local.get $dst))
      (loop $pixelLoop
        ;; p = first byte of the first tap in the group's first row, end = one past its last tap,
        ;; w = address of the first weight.
        (local.set $p (i32.add (local.get $row)
          (i32.mul (i32.load (i32.add (local.get $first) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
        (local.set $end (i32.add (local.get $p)
          (i32.mul (i32.load (i32.add (local.get $taps) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
        (local.set $w (i32.add (local.get $weights)
          (i32.shl (i32.mul (local.get $i) (local.get $kernelSize)) (i32.const 2))))
        (local.set $acc0 (global.get $half))
        (local.set $acc1 (global.get $half))
        (local.set $acc2 (global.get $half))
        (local.set $acc3 (global.get $half))
        (block $noTaps
          (br_if $noTaps (i32.ge_u (local.get $p) (local.get $end)))
          (loop $tapLoop
            (local.set $wv (i32x4.splat (i32.load (local.get $w))))
            (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.mul (local.get $wv)
              (i32x4.extend_low_i16x8_u (v128.load8x8_u (local.get $p))))))
            (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.mul (local.get $wv)
              (i32x4.extend_low_i16x8_u (v128.load8x8_u (i32.add (local.get $p) (local.get $srcStride)))))))
            (local.set $acc2 (i32x4.add (local.get $acc2) (i32x4.mul (local.get $wv)
              (i32x4.extend_low_i16x8_u (v128.load8x8_u (i32.add (local.get $p) (local.get $s2)))))))
            (local.set $acc3 (i32x4.add (local.get $acc3) (i32x4.mul (local.get $wv)
              (i32x4.extend_low_i16x8_u (v128.load8x8_u (i32.add (local.get $p) (local.get $s3)))))))
            (local.set $p (i32.add (local.get $p) (i32.const 3)))
            (local.set $w (i32.add (local.get $w) (i32.const 4)))
            (br_if $tapLoop (i32.lt_u (local.get $p) (local.get $end)))))
        ;; clip8 of all 16 sums at once (shift, then the two saturating narrows): row r's three
        ;; bytes are bytes 4r .. 4r + 2. Each row stores 4 bytes; the fourth is overwritten later.
        (local.set $wv
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s
              (i32x4.shr_s (local.get $acc0) (i32.const 22))
              (i32x4.shr_s (local.get $acc1) (i32.const 22)))
            (i16x8.narrow_i32x4_s
              (i32x4.shr_s (local.get $acc2) (i32.const 22))
              (i32x4.shr_s (local.get $acc3) (i32.const 22)))))
        (v128.store32_lane 0 (local.get $d) (local.get $wv))
        (v128.store32_lane 1 (i32.add (local.get $d) (local.get $dstStride)) (local.get $wv))
        (v128.store32_lane 2 (i32.add (local.get $d) (i32.shl (local.get $dstStride) (i32.const 1))) (local.get $wv))
        (v128.store32_lane 3 (i32.add (local.get $d) (i32.mul (local.get $dstStride) (i32.const 3))) (local.get $wv))
        (local.set $d (i32.add (local.get $d) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $pixelLoop (i32.lt_u (local.get $i) (local.get $outW))))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $srcStride) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $dstStride) (i32.const 2))))
      (br_if $rowLoop (i32.lt_u (local.get $row) (local.get $rowEnd)))))

;; Vertical pass: for each output row j < outH, writes clip8(half + sum_t temp row
  ;; (first[j] + t) * weight[j][t]) for each of the `rowBytes` bytes of a row to `dst` (rows of
  ;; `rowBytes`; temp rows are `tempStride` apart). Sixteen bytes at a time: four i32x4
  ;; accumulators, one 16-byte load and one splatted weight per tap.
  (func (export "vertical")
    (param $temp i32) (param $tempStride i32) (param $rowBytes i32) (param $outH i32)
    (param $first i32) (param $taps i32) (param $weights i32) (param $kernelSize i32)
    (param $dst i32)
    (local $j i32) (local $c i32) (local $base i32) (local $n i32) (local $k i32)
    (local $p i32) (local $t i32) (local $wv v128) (local $v v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (if (i32.or (i32.eqz (local.get $outH)) (i32.eqz (local.get $rowBytes))) (then (return)))
    (local.set $j (i32.const 0))
    (loop $rowLoop
      (local.set $base (i32.add (local.get $temp)
        (i32.mul (i32.load (i32.add (local.get $first) (i32.shl (local.get $j) (i32.const 2)))) (local.get $tempStride))))
      (local.set $n (i32.load (i32.add (local.get $taps) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $k (i32.add (local.get $weights)
        (i32.shl (i32.mul (local.get $j) (local.get $kernelSize)) (i32.const 2))))
      (local.set $c (i32.const 0))
      (loop $chunkLoop
        (local.set $a0 (global.get $half))
        (local.set $a1 (global.get $half))
        (local.set $a2 (global.get $half))
        (local.set $a3 (global.get $half))
        (local.set $p (i32.add (local.get $base) (local.get $c)))
        (local.set $t (i32.const 0))
        (block $noTaps
          (br_if $noTaps (i32.ge_s (local.get $t) (local.get $n)))
          (loop $tapLoop
            (local.set $wv (i32x4.splat (i32.load (i32.add (local.get $k) (i32.shl (local.get $t) (i32.const 2))))))
            (local.set $v (v128.load (local.get $p)))
            (local.set $lo (i16x8.extend_low_i8x16_u (local.get $v)))
            (local.set $hi (i16x8.extend_high_i8x16_u (local.get $v)))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $lo)) (local.get $wv))))
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $lo)) (local.get $wv))))
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $hi)) (local.get $wv))))
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $hi)) (local.get $wv))))
            (local.set $p (i32.add (local.get $p) (local.get $tempStride)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $tapLoop (i32.lt_s (local.get $t) (local.get $n)))))
        ;; clip8 of 16 sums: shift, then narrow i32 -> i16 (signed saturate) -> u8 (unsigned saturate).
        (v128.store (i32.add (local.get $dst) (local.get $c))
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s
              (i32x4.shr_s (local.get $a0) (i32.const 22))
              (i32x4.shr_s (local.get $a1) (i32.const 22)))
            (i16x8.narrow_i32x4_s
              (i32x4.shr_s (local.get $a2) (i32.const 22))
              (i32x4.shr_s (local.get $a3) (i32.const 22)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $chunkLoop (i32.lt_u (local.get $c) (local.get $rowBytes))))
      (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $rowLoop (i32.lt_u (local.get $j) (local.get $outH))))))
