;; The Kullback-Leibler (β = 1) and Itakura-Saito (β = 0) multiplicative-update terms of a dense X,
;; block by block of `br` rows, each block's pipeline run whole on one thread (its block of W·H
;; stays in that core's cache), written once for both float types (scripts/build-wasm.mjs: {T}).
;;
;;   muTermsW_{T}  for the blocks of rows [0, rows): WH = W_b·H, then
;;                   β = 1: num_b = (X_b / WH)·Hᵀ
;;                   β = 0: num_b = ((1/WH)²·X_b)·Hᵀ, den_b = (1/WH)·Hᵀ
;;   muTermsH_{T}  likewise, accumulating into this call's own partial sums (k×n each):
;;                   β = 1: num += W_bᵀ·(X_b / WH)
;;                   β = 0: num += W_bᵀ·((1/WH)²·X_b), den += W_bᵀ·(1/WH)
;;
;; WH == 0 becomes EPSILON before dividing (gemm.wat's ratio kernels). `scratch` holds two blocks
;; (2·br·n values): WH, whose terms replace it in place, and 1/WH for β = 0. A caller cuts the rows at
;; multiples of br, so every block is computed the same way whatever the cut; muTermsH's partial
;; sums belong to a fixed range of rows, and the caller adds them in order.

(func (export "muTermsW_{T}")
  (param $W i32) (param $H i32) (param $X i32) (param $num i32) (param $den i32) (param $scratch i32)
  (param $rows i32) (param $k i32) (param $n i32) (param $beta i32) (param $br i32)
  (local $i0 i32) (local $b i32) (local $len i32) (local $D i32)
  (local.set $D (i32.add (local.get $scratch) (i32.mul (i32.mul (local.get $br) (local.get $n)) (i32.const {S}))))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
    (local.set $b (i32.sub (local.get $rows) (local.get $i0)))
    (if (i32.gt_u (local.get $b) (local.get $br)) (then (local.set $b (local.get $br))))
    (local.set $len (i32.mul (local.get $b) (local.get $n)))
    (call $ab_{T} (i32.add (local.get $W) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
      (local.get $H) (local.get $scratch) (local.get $b) (local.get $k) (local.get $n))
    (if (i32.eqz (local.get $beta))
      (then
        (call $reciprocal_{T} (local.get $scratch) (local.get $D) (local.get $len))
        (call $abt_{T} (local.get $D) (local.get $H)
          (i32.add (local.get $den) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
          (local.get $b) (local.get $n) (local.get $k))
        (call $ratioSq_{T} (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S})))
          (local.get $scratch) (local.get $scratch) (local.get $len)))
      (else
        (call $ratio_{T} (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S})))
          (local.get $scratch) (local.get $scratch) (local.get $len))))
    (call $abt_{T} (local.get $scratch) (local.get $H)
      (i32.add (local.get $num) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
      (local.get $b) (local.get $n) (local.get $k))
    (local.set $i0 (i32.add (local.get $i0) (local.get $br)))
    (br $over))))

(func (export "muTermsH_{T}")
  (param $W i32) (param $H i32) (param $X i32) (param $num i32) (param $den i32) (param $scratch i32)
  (param $rows i32) (param $k i32) (param $n i32) (param $beta i32) (param $br i32)
  (local $i0 i32) (local $b i32) (local $len i32) (local $D i32) (local $Wb i32)
  (local.set $D (i32.add (local.get $scratch) (i32.mul (i32.mul (local.get $br) (local.get $n)) (i32.const {S}))))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
    (local.set $b (i32.sub (local.get $rows) (local.get $i0)))
    (if (i32.gt_u (local.get $b) (local.get $br)) (then (local.set $b (local.get $br))))
    (local.set $len (i32.mul (local.get $b) (local.get $n)))
    (local.set $Wb (i32.add (local.get $W) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S}))))
    (call $ab_{T} (local.get $Wb) (local.get $H) (local.get $scratch) (local.get $b) (local.get $k) (local.get $n))
    (if (i32.eqz (local.get $beta))
      (then
        (call $reciprocal_{T} (local.get $scratch) (local.get $D) (local.get $len))
        (call $atbAdd_{T} (local.get $Wb) (local.get $D) (local.get $den) (local.get $b) (local.get $k) (local.get $n) (local.get $n))
        (call $ratioSq_{T} (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S})))
          (local.get $scratch) (local.get $scratch) (local.get $len)))
      (else
        (call $ratio_{T} (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S})))
          (local.get $scratch) (local.get $scratch) (local.get $len))))
    (call $atbAdd_{T} (local.get $Wb) (local.get $scratch) (local.get $num) (local.get $b) (local.get $k) (local.get $n) (local.get $n))
    (local.set $i0 (i32.add (local.get $i0) (local.get $br)))
    (br $over))))
