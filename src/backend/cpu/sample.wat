;; (W·H) at the stored entries of a CSR X, as scikit-learn's _special_sparse_dot computes it:
;; np.multiply(W[i, :], Hᵀ[j, :]).sum() per entry, numpy's pairwise summation of the k products
;; (sequential below 8 terms; 8 running sums over blocks of 8, combined as ((r0+r1)+(r2+r3)) +
;; ((r4+r5)+(r6+r7)), then the rest in order, up to 128 terms; halves above that), so the sampled
;; values are numpy's bit for bit.
;;
;;   sampleDot_f64 / sampleDot_f32   out[p] = Σ_t W[r, t]·Ht[indices[p], t] for the entries p of rows
;;                                   r < rows; W (rows × k) and Ht (n × k) row-major
;;
;; The 8 running sums are lanes: four f64x2 vectors, or two f32x4. A caller (threads) passes indptr,
;; W offset to its first row and fewer rows; out is indexed by the entry number p itself.

(func $sampleDot_f64 (export "sampleDot_f64")
  (param $indptr i32) (param $indices i32) (param $W i32) (param $Ht i32) (param $out i32) (param $rows i32) (param $k i32)
  (local $rowW i32) (local $r i32) (local $p i32) (local $p1 i32) (local $w i32) (local $b i32) (local $c i32) (local $i i32)
  (local $end8 i32) (local $res f64) (local $res2 f64) (local $x f64) (local $r0 v128) (local $q0 v128) (local $w0 v128) (local $r1 v128) (local $q1 v128) (local $w1 v128) (local $r2 v128) (local $q2 v128) (local $w2 v128) (local $r3 v128) (local $q3 v128) (local $w3 v128)
  (local.set $rowW (i32.shl (local.get $k) (i32.const 3)))
  (local.set $end8 (i32.shl (i32.and (local.get $k) (i32.const -8)) (i32.const 3)))
  (block $doneR (loop $overR
    (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $p1 (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $w (i32.add (local.get $W) (i32.mul (local.get $r) (local.get $rowW))))
    ;; 8 … 128 terms (the usual k): two entries of the row at a time, the blocked sums written out
    ;; here (each entry's own sums, in numpy's order; the row of W loaded once for both)
    (if (i32.and (i32.ge_u (local.get $k) (i32.const 8)) (i32.le_u (local.get $k) (i32.const 128))) (then
      (block $doneP (loop $overP
        (br_if $doneP (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $p1)))
        (local.set $b (i32.add (local.get $Ht)
          (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW))))
        (local.set $c (i32.add (local.get $Ht)
          (i32.mul (i32.load offset=4 (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW))))
          (local.set $w0 (v128.load offset=0 (local.get $w)))
          (local.set $w1 (v128.load offset=16 (local.get $w)))
          (local.set $w2 (v128.load offset=32 (local.get $w)))
          (local.set $w3 (v128.load offset=48 (local.get $w)))
              (local.set $r0 (f64x2.mul (local.get $w0) (v128.load offset=0 (local.get $b))))
              (local.set $r1 (f64x2.mul (local.get $w1) (v128.load offset=16 (local.get $b))))
              (local.set $r2 (f64x2.mul (local.get $w2) (v128.load offset=32 (local.get $b))))
              (local.set $r3 (f64x2.mul (local.get $w3) (v128.load offset=48 (local.get $b))))
              (local.set $q0 (f64x2.mul (local.get $w0) (v128.load offset=0 (local.get $c))))
              (local.set $q1 (f64x2.mul (local.get $w1) (v128.load offset=16 (local.get $c))))
              (local.set $q2 (f64x2.mul (local.get $w2) (v128.load offset=32 (local.get $c))))
              (local.set $q3 (f64x2.mul (local.get $w3) (v128.load offset=48 (local.get $c))))
        (local.set $i (i32.const 64))
        (block $doneI (loop $overI
          (br_if $doneI (i32.ge_u (local.get $i) (local.get $end8)))
                (local.set $w0 (v128.load offset=0 (i32.add (local.get $w) (local.get $i))))
                (local.set $w1 (v128.load offset=16 (i32.add (local.get $w) (local.get $i))))
                (local.set $w2 (v128.load offset=32 (i32.add (local.get $w) (local.get $i))))
                (local.set $w3 (v128.load offset=48 (i32.add (local.get $w) (local.get $i))))
                (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $w0) (v128.load offset=0 (i32.add (local.get $b) (local.get $i))))))
                (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $w1) (v128.load offset=16 (i32.add (local.get $b) (local.get $i))))))
                (local.set $r2 (f64x2.add (local.get $r2) (f64x2.mul (local.get $w2) (v128.load offset=32 (i32.add (local.get $b) (local.get $i))))))
                (local.set $r3 (f64x2.add (local.get $r3) (f64x2.mul (local.get $w3) (v128.load offset=48 (i32.add (local.get $b) (local.get $i))))))
                (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $w0) (v128.load offset=0 (i32.add (local.get $c) (local.get $i))))))
                (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $w1) (v128.load offset=16 (i32.add (local.get $c) (local.get $i))))))
                (local.set $q2 (f64x2.add (local.get $q2) (f64x2.mul (local.get $w2) (v128.load offset=32 (i32.add (local.get $c) (local.get $i))))))
                (local.set $q3 (f64x2.add (local.get $q3) (f64x2.mul (local.get $w3) (v128.load offset=48 (i32.add (local.get $c) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 64)))
          (br $overI)))
        (local.set $res (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $r0)) (f64x2.extract_lane 1 (local.get $r0)))
              (f64.add (f64x2.extract_lane 0 (local.get $r1)) (f64x2.extract_lane 1 (local.get $r1))))
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $r2)) (f64x2.extract_lane 1 (local.get $r2)))
              (f64.add (f64x2.extract_lane 0 (local.get $r3)) (f64x2.extract_lane 1 (local.get $r3))))))
        (local.set $res2 (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $q0)) (f64x2.extract_lane 1 (local.get $q0)))
              (f64.add (f64x2.extract_lane 0 (local.get $q1)) (f64x2.extract_lane 1 (local.get $q1))))
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $q2)) (f64x2.extract_lane 1 (local.get $q2)))
              (f64.add (f64x2.extract_lane 0 (local.get $q3)) (f64x2.extract_lane 1 (local.get $q3))))))
        (block $doneT (loop $overT
          (br_if $doneT (i32.ge_u (local.get $i) (local.get $rowW)))
          (local.set $x (f64.load (i32.add (local.get $w) (local.get $i))))
          (local.set $res (f64.add (local.get $res) (f64.mul (local.get $x) (f64.load (i32.add (local.get $b) (local.get $i))))))
          (local.set $res2 (f64.add (local.get $res2) (f64.mul (local.get $x) (f64.load (i32.add (local.get $c) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br $overT)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3))) (local.get $res))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3))) (local.get $res2))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $overP)))))
    ;; any other k, and an odd last entry
    (block $doneP (loop $overP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $p1)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3)))
        (call $pairwiseDot_f64 (local.get $w)
          (i32.add (local.get $Ht)
            (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW)))
          (local.get $k)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $overP)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $overR))))

;; numpy's pairwise_sum of a[i]·b[i], i < n (float64).
(func $pairwiseDot_f64 (param $a i32) (param $b i32) (param $n i32) (result f64)
  (local $i i32) (local $end i32) (local $half i32) (local $res f64)
  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
  (if (i32.lt_u (local.get $n) (i32.const 8)) (then
    (block $done (loop $over
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $res (f64.add (local.get $res)
        (f64.mul (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
                 (f64.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $over)))
    (return (local.get $res))))
  (if (i32.gt_u (local.get $n) (i32.const 128)) (then
    (local.set $half (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (return (f64.add
      (call $pairwiseDot_f64 (local.get $a) (local.get $b) (local.get $half))
      (call $pairwiseDot_f64
        (i32.add (local.get $a) (i32.shl (local.get $half) (i32.const 3)))
        (i32.add (local.get $b) (i32.shl (local.get $half) (i32.const 3)))
        (i32.sub (local.get $n) (local.get $half)))))))
  (local.set $r0 (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
  (local.set $r1 (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
  (local.set $r2 (f64x2.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
  (local.set $r3 (f64x2.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
  (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3)))
  (local.set $i (i32.const 64))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (local.set $r0 (f64x2.add (local.get $r0)
      (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i))))))
    (local.set $r1 (f64x2.add (local.get $r1)
      (f64x2.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $i))) (v128.load offset=16 (i32.add (local.get $b) (local.get $i))))))
    (local.set $r2 (f64x2.add (local.get $r2)
      (f64x2.mul (v128.load offset=32 (i32.add (local.get $a) (local.get $i))) (v128.load offset=32 (i32.add (local.get $b) (local.get $i))))))
    (local.set $r3 (f64x2.add (local.get $r3)
      (f64x2.mul (v128.load offset=48 (i32.add (local.get $a) (local.get $i))) (v128.load offset=48 (i32.add (local.get $b) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 64)))
    (br $over)))
  (local.set $res (f64.add
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $r0)) (f64x2.extract_lane 1 (local.get $r0)))
      (f64.add (f64x2.extract_lane 0 (local.get $r1)) (f64x2.extract_lane 1 (local.get $r1))))
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $r2)) (f64x2.extract_lane 1 (local.get $r2)))
      (f64.add (f64x2.extract_lane 0 (local.get $r3)) (f64x2.extract_lane 1 (local.get $r3))))))
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (local.set $res (f64.add (local.get $res)
      (f64.mul (f64.load (i32.add (local.get $a) (local.get $i))) (f64.load (i32.add (local.get $b) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $over)))
  (local.get $res))

(func $sampleDot_f32 (export "sampleDot_f32")
  (param $indptr i32) (param $indices i32) (param $W i32) (param $Ht i32) (param $out i32) (param $rows i32) (param $k i32)
  (local $rowW i32) (local $r i32) (local $p i32) (local $p1 i32) (local $w i32) (local $b i32) (local $c i32) (local $i i32)
  (local $end8 i32) (local $res f32) (local $res2 f32) (local $x f32) (local $r0 v128) (local $q0 v128) (local $w0 v128) (local $r1 v128) (local $q1 v128) (local $w1 v128)
  (local.set $rowW (i32.shl (local.get $k) (i32.const 2)))
  (local.set $end8 (i32.shl (i32.and (local.get $k) (i32.const -8)) (i32.const 2)))
  (block $doneR (loop $overR
    (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $p1 (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $w (i32.add (local.get $W) (i32.mul (local.get $r) (local.get $rowW))))
    ;; 8 … 128 terms (the usual k): two entries of the row at a time, the blocked sums written out
    ;; here (each entry's own sums, in numpy's order; the row of W loaded once for both)
    (if (i32.and (i32.ge_u (local.get $k) (i32.const 8)) (i32.le_u (local.get $k) (i32.const 128))) (then
      (block $doneP (loop $overP
        (br_if $doneP (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $p1)))
        (local.set $b (i32.add (local.get $Ht)
          (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW))))
        (local.set $c (i32.add (local.get $Ht)
          (i32.mul (i32.load offset=4 (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW))))
          (local.set $w0 (v128.load offset=0 (local.get $w)))
          (local.set $w1 (v128.load offset=16 (local.get $w)))
              (local.set $r0 (f32x4.mul (local.get $w0) (v128.load offset=0 (local.get $b))))
              (local.set $r1 (f32x4.mul (local.get $w1) (v128.load offset=16 (local.get $b))))
              (local.set $q0 (f32x4.mul (local.get $w0) (v128.load offset=0 (local.get $c))))
              (local.set $q1 (f32x4.mul (local.get $w1) (v128.load offset=16 (local.get $c))))
        (local.set $i (i32.const 32))
        (block $doneI (loop $overI
          (br_if $doneI (i32.ge_u (local.get $i) (local.get $end8)))
                (local.set $w0 (v128.load offset=0 (i32.add (local.get $w) (local.get $i))))
                (local.set $w1 (v128.load offset=16 (i32.add (local.get $w) (local.get $i))))
                (local.set $r0 (f32x4.add (local.get $r0) (f32x4.mul (local.get $w0) (v128.load offset=0 (i32.add (local.get $b) (local.get $i))))))
                (local.set $r1 (f32x4.add (local.get $r1) (f32x4.mul (local.get $w1) (v128.load offset=16 (i32.add (local.get $b) (local.get $i))))))
                (local.set $q0 (f32x4.add (local.get $q0) (f32x4.mul (local.get $w0) (v128.load offset=0 (i32.add (local.get $c) (local.get $i))))))
                (local.set $q1 (f32x4.add (local.get $q1) (f32x4.mul (local.get $w1) (v128.load offset=16 (i32.add (local.get $c) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 32)))
          (br $overI)))
        (local.set $res (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $r0)) (f32x4.extract_lane 1 (local.get $r0)))
              (f32.add (f32x4.extract_lane 2 (local.get $r0)) (f32x4.extract_lane 3 (local.get $r0))))
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $r1)) (f32x4.extract_lane 1 (local.get $r1)))
              (f32.add (f32x4.extract_lane 2 (local.get $r1)) (f32x4.extract_lane 3 (local.get $r1))))))
        (local.set $res2 (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $q0)) (f32x4.extract_lane 1 (local.get $q0)))
              (f32.add (f32x4.extract_lane 2 (local.get $q0)) (f32x4.extract_lane 3 (local.get $q0))))
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $q1)) (f32x4.extract_lane 1 (local.get $q1)))
              (f32.add (f32x4.extract_lane 2 (local.get $q1)) (f32x4.extract_lane 3 (local.get $q1))))))
        (block $doneT (loop $overT
          (br_if $doneT (i32.ge_u (local.get $i) (local.get $rowW)))
          (local.set $x (f32.load (i32.add (local.get $w) (local.get $i))))
          (local.set $res (f32.add (local.get $res) (f32.mul (local.get $x) (f32.load (i32.add (local.get $b) (local.get $i))))))
          (local.set $res2 (f32.add (local.get $res2) (f32.mul (local.get $x) (f32.load (i32.add (local.get $c) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $overT)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2))) (local.get $res))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2))) (local.get $res2))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $overP)))))
    ;; any other k, and an odd last entry
    (block $doneP (loop $overP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $p1)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2)))
        (call $pairwiseDot_f32 (local.get $w)
          (i32.add (local.get $Ht)
            (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowW)))
          (local.get $k)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $overP)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $overR))))

;; numpy's pairwise_sum of a[i]·b[i], i < n (float32: the sums are float32 too).
(func $pairwiseDot_f32 (param $a i32) (param $b i32) (param $n i32) (result f32)
  (local $i i32) (local $end i32) (local $half i32) (local $res f32)
  (local $r0 v128) (local $r1 v128)
  (if (i32.lt_u (local.get $n) (i32.const 8)) (then
    (block $done (loop $over
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $res (f32.add (local.get $res)
        (f32.mul (f32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                 (f32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $over)))
    (return (local.get $res))))
  (if (i32.gt_u (local.get $n) (i32.const 128)) (then
    (local.set $half (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (return (f32.add
      (call $pairwiseDot_f32 (local.get $a) (local.get $b) (local.get $half))
      (call $pairwiseDot_f32
        (i32.add (local.get $a) (i32.shl (local.get $half) (i32.const 2)))
        (i32.add (local.get $b) (i32.shl (local.get $half) (i32.const 2)))
        (i32.sub (local.get $n) (local.get $half)))))))
  (local.set $r0 (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
  (local.set $r1 (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
  (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2)))
  (local.set $i (i32.const 32))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (local.set $r0 (f32x4.add (local.get $r0)
      (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i))))))
    (local.set $r1 (f32x4.add (local.get $r1)
      (f32x4.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $i))) (v128.load offset=16 (i32.add (local.get $b) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $over)))
  (local.set $res (f32.add
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $r0)) (f32x4.extract_lane 1 (local.get $r0)))
      (f32.add (f32x4.extract_lane 2 (local.get $r0)) (f32x4.extract_lane 3 (local.get $r0))))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $r1)) (f32x4.extract_lane 1 (local.get $r1)))
      (f32.add (f32x4.extract_lane 2 (local.get $r1)) (f32x4.extract_lane 3 (local.get $r1))))))
  (local.set $end (i32.shl (local.get $n) (i32.const 2)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (local.set $res (f32.add (local.get $res)
      (f32.mul (f32.load (i32.add (local.get $a) (local.get $i))) (f32.load (i32.add (local.get $b) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $over)))
  (local.get $res))
