;; Pillow-exact separable resize passes (Resample.c, 8-bit path) with 128-bit SIMD.
;;
;; Compiled by `npm run build:wasm` (scripts/build-resample-wasm.mjs, wabt) into
;; resample-wasm-bytes.ts; the loader is resample-wasm.ts, the reference is resample.ts.
;;
;; Memory: one exported linear memory that the loader grows and lays out per call as
;;   [source rows][temp rows][output rows][h first][h taps][h weights][v first][v taps][v weights]
;; Pixels are 8-bit RGB, interleaved, row-major. Each pixel region is followed by at least 16
;; spare bytes, because both passes read and write whole 4- or 16-byte groups: the horizontal
;; pass loads 4 bytes for a 3-byte pixel and stores 4 bytes for 3, the vertical pass loads and
;; stores 16 bytes at a time even where a row ends earlier. Bytes written past a row's end are
;; overwritten by the next pixel or row, or land in the spare bytes after the region.
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

  ;; clip8 of four i32 sums, the results in bytes 0..3 (and repeated in the other bytes).
  (func $clip8x4 (param $sum v128) (result v128)
    (local $v v128)
    (local.set $v (i32x4.shr_s (local.get $sum) (i32.const 22)))
    (local.set $v (i16x8.narrow_i32x4_s (local.get $v) (local.get $v)))
    (i8x16.narrow_i16x8_u (local.get $v) (local.get $v)))

  ;; Horizontal pass: for each of `rows` rows at `src` (stride `srcStride` bytes) and each output
  ;; pixel i < outW, writes clip8(half + sum_t pixel[first[i] + t] * weight[i][t]) per channel to
  ;; `dst` (outW * 3 bytes per row). One tap is one i32x4 multiply-add of (R, G, B, next R) by
  ;; the splatted weight; the fourth lane is computed and dropped.
  (func (export "horizontal")
    (param $src i32) (param $srcStride i32) (param $rows i32) (param $outW i32)
    (param $first i32) (param $taps i32) (param $weights i32) (param $kernelSize i32)
    (param $dst i32)
    (local $row i32) (local $rowEnd i32) (local $i i32) (local $p i32) (local $end i32)
    (local $w i32) (local $acc v128)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $outW))) (then (return)))
    (local.set $row (local.get $src))
    (local.set $rowEnd (i32.add (local.get $src) (i32.mul (local.get $rows) (local.get $srcStride))))
    (loop $rowLoop
      (local.set $i (i32.const 0))
      (loop $pixelLoop
        ;; p = first byte of the first tap, end = one past the last tap, w = its first weight.
        (local.set $p (i32.add (local.get $row)
          (i32.mul (i32.load (i32.add (local.get $first) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
        (local.set $end (i32.add (local.get $p)
          (i32.mul (i32.load (i32.add (local.get $taps) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
        (local.set $w (i32.add (local.get $weights)
          (i32.shl (i32.mul (local.get $i) (local.get $kernelSize)) (i32.const 2))))
        (local.set $acc (global.get $half))
        (block $noTaps
          (br_if $noTaps (i32.ge_u (local.get $p) (local.get $end)))
          (loop $tapLoop
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.mul
                (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $p))))
                (i32x4.splat (i32.load (local.get $w))))))
            (local.set $p (i32.add (local.get $p) (i32.const 3)))
            (local.set $w (i32.add (local.get $w) (i32.const 4)))
            (br_if $tapLoop (i32.lt_u (local.get $p) (local.get $end)))))
        ;; Store 4 bytes; the fourth is overwritten by the next pixel (or falls in the spare bytes).
        (v128.store32_lane 0 (local.get $dst) (call $clip8x4 (local.get $acc)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $pixelLoop (i32.lt_u (local.get $i) (local.get $outW))))
      (local.set $row (i32.add (local.get $row) (local.get $srcStride)))
      (br_if $rowLoop (i32.lt_u (local.get $row) (local.get $rowEnd)))))

  ;; Vertical pass: for each output row j < outH, writes clip8(half + sum_t temp row
  ;; (first[j] + t) * weight[j][t]) for each of the `stride` bytes of a row to `dst`. Sixteen bytes
  ;; at a time: four i32x4 accumulators, one 16-byte load and one splatted weight per tap.
  (func (export "vertical")
    (param $temp i32) (param $stride i32) (param $outH i32)
    (param $first i32) (param $taps i32) (param $weights i32) (param $kernelSize i32)
    (param $dst i32)
    (local $j i32) (local $c i32) (local $base i32) (local $n i32) (local $k i32)
    (local $p i32) (local $t i32) (local $wv v128) (local $v v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (if (i32.or (i32.eqz (local.get $outH)) (i32.eqz (local.get $stride))) (then (return)))
    (local.set $j (i32.const 0))
    (loop $rowLoop
      (local.set $base (i32.add (local.get $temp)
        (i32.mul (i32.load (i32.add (local.get $first) (i32.shl (local.get $j) (i32.const 2)))) (local.get $stride))))
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
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
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
        (br_if $chunkLoop (i32.lt_u (local.get $c) (local.get $stride))))
      (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $rowLoop (i32.lt_u (local.get $j) (local.get $outH))))))
