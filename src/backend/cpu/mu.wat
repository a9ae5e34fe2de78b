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
;; WH == 0 becomes EPSILON before dividing (gemm.wat's ratio kernels). β = 1 forms X_b / WH as ab_{T}
;; stores its tiles (WH never goes through memory). `scratch` holds two blocks (2·br·n values): the
;; terms (for β = 0 WH, whose terms replace it in place) and 1/WH for β = 0. A caller cuts the rows at
;; multiples of br, so every block is computed the same way whatever the cut; muTermsH's partial
;; sums belong to a fixed range of rows, and the caller adds them in order.

(func (export "muTermsW_{T}")
  (param $W i32) (param $H i32) (param $X i32) (param $num i32) (param $den i32) (param $scratch i32)
  (param $rows i32) (param $k i32) (param $n i32) (param $beta i32) (param $br i32)
  (local $i0 i32) (local $b i32) (local $len i32) (local $D i32) (local $Xb i32)
  (local.set $D (i32.add (local.get $scratch) (i32.mul (i32.mul (local.get $br) (local.get $n)) (i32.const {S}))))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
    (local.set $b (i32.sub (local.get $rows) (local.get $i0)))
    (if (i32.gt_u (local.get $b) (local.get $br)) (then (local.set $b (local.get $br))))
    (local.set $len (i32.mul (local.get $b) (local.get $n)))
    (local.set $Xb (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S}))))
    ;; β = 1: scratch = X_b / (W_b·H) in one pass; β = 0: scratch = W_b·H
    (call $ab_{T} (i32.add (local.get $W) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
      (local.get $H) (local.get $scratch) (local.get $b) (local.get $k) (local.get $n) (local.get $Xb) (local.get $beta))
    (if (i32.eqz (local.get $beta)) (then
      (call $reciprocal_{T} (local.get $scratch) (local.get $D) (local.get $len))
      (call $abt_{T} (local.get $D) (local.get $H)
        (i32.add (local.get $den) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
        (local.get $b) (local.get $n) (local.get $k))
      (call $ratioSq_{T} (local.get $Xb) (local.get $scratch) (local.get $scratch) (local.get $len))))
    (call $abt_{T} (local.get $scratch) (local.get $H)
      (i32.add (local.get $num) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S})))
      (local.get $b) (local.get $n) (local.get $k))
    (local.set $i0 (i32.add (local.get $i0) (local.get $br)))
    (br $over))))

(func (export "muTermsH_{T}")
  (param $W i32) (param $H i32) (param $X i32) (param $num i32) (param $den i32) (param $scratch i32)
  (param $rows i32) (param $k i32) (param $n i32) (param $beta i32) (param $br i32)
  (local $i0 i32) (local $b i32) (local $len i32) (local $D i32) (local $Wb i32) (local $Xb i32)
  (local.set $D (i32.add (local.get $scratch) (i32.mul (i32.mul (local.get $br) (local.get $n)) (i32.const {S}))))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
    (local.set $b (i32.sub (local.get $rows) (local.get $i0)))
    (if (i32.gt_u (local.get $b) (local.get $br)) (then (local.set $b (local.get $br))))
    (local.set $len (i32.mul (local.get $b) (local.get $n)))
    (local.set $Wb (i32.add (local.get $W) (i32.mul (i32.mul (local.get $i0) (local.get $k)) (i32.const {S}))))
    (local.set $Xb (i32.add (local.get $X) (i32.mul (i32.mul (local.get $i0) (local.get $n)) (i32.const {S}))))
    (call $ab_{T} (local.get $Wb) (local.get $H) (local.get $scratch) (local.get $b) (local.get $k) (local.get $n) (local.get $Xb) (local.get $beta))
    (if (i32.eqz (local.get $beta)) (then
      (call $reciprocal_{T} (local.get $scratch) (local.get $D) (local.get $len))
      (call $atbAdd_{T} (local.get $Wb) (local.get $D) (local.get $den) (local.get $b) (local.get $k) (local.get $n) (local.get $n))
      (call $ratioSq_{T} (local.get $Xb) (local.get $scratch) (local.get $scratch) (local.get $len))))
    (call $atbAdd_{T} (local.get $Wb) (local.get $scratch) (local.get $num) (local.get $b) (local.get $k) (local.get $n) (local.get $n))
    (local.set $i0 (i32.add (local.get $i0) (local.get $br)))
    (br $over))))

;; muApply_{T}: the end of a multiplicative update with γ = 1 (mu-terms.ts's applyUpdate):
;;   d = den (+ l1 where l1 > 0) (+ l2·A where l2 > 0), EPSILON where d == 0;  A ← A · (num / d)
;; in that order of operations (the same bits as the JS loop for float64; float32 computes in float32,
;; as scikit-learn does). The l1 and l2 terms are selected, not branched on, per element.
(func (export "muApply_{T}") (param $A i32) (param $num i32) (param $den i32) (param $len i32) (param $l1 {T}) (param $l2 {T})
  (local $q i32) (local $end i32) (local $a v128) (local $d v128) (local $L1 v128) (local $L2 v128)
  (local $useL1 v128) (local $useL2 v128) (local $x {T}) (local $e {T})
  (local.set $end (i32.mul (local.get $len) (i32.const {S})))
  (local.set $L1 ({V}.splat (local.get $l1)))
  (local.set $L2 ({V}.splat (local.get $l2)))
  (local.set $useL1 ({V}.gt (local.get $L1) (v128.const i64x2 0 0)))
  (local.set $useL2 ({V}.gt (local.get $L2) (v128.const i64x2 0 0)))
  (block $done (loop $over
    (br_if $done (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
    (local.set $a (v128.load (i32.add (local.get $A) (local.get $q))))
    (local.set $d (v128.load (i32.add (local.get $den) (local.get $q))))
    (local.set $d (v128.bitselect ({V}.add (local.get $d) (local.get $L1)) (local.get $d) (local.get $useL1)))
    (local.set $d (v128.bitselect ({V}.add (local.get $d) ({V}.mul (local.get $L2) (local.get $a))) (local.get $d) (local.get $useL2)))
    (local.set $d (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $d)
      ({V}.eq (local.get $d) (v128.const i64x2 0 0))))
    (v128.store (i32.add (local.get $A) (local.get $q))
      ({V}.mul (local.get $a) ({V}.div (v128.load (i32.add (local.get $num) (local.get $q))) (local.get $d))))
    (local.set $q (i32.add (local.get $q) (i32.const 16)))
    (br $over)))
  (block $doneT (loop $overT   ;; the last elements one at a time
    (br_if $doneT (i32.ge_u (local.get $q) (local.get $end)))
    (local.set $x ({T}.load (i32.add (local.get $A) (local.get $q))))
    (local.set $e ({T}.load (i32.add (local.get $den) (local.get $q))))
    (if ({T}.gt (local.get $l1) ({T}.const 0)) (then (local.set $e ({T}.add (local.get $e) (local.get $l1)))))
    (if ({T}.gt (local.get $l2) ({T}.const 0)) (then (local.set $e ({T}.add (local.get $e) ({T}.mul (local.get $l2) (local.get $x))))))
    (if ({T}.eq (local.get $e) ({T}.const 0)) (then (local.set $e ({T}.const 1.1920928955078125e-07))))
    ({T}.store (i32.add (local.get $A) (local.get $q))
      ({T}.mul (local.get $x) ({T}.div ({T}.load (i32.add (local.get $num) (local.get $q))) (local.get $e))))
    (local.set $q (i32.add (local.get $q) (i32.const {S})))
    (br $overT))))
