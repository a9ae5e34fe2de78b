;; Fast HALS (scikit-learn's _update_cdnmf_fast) and a transpose, written once for both float types
;; (scripts/build-wasm.mjs: {T} f64|f32, {V} f64x2|f32x4, {S} 8|4 bytes, {SPLAT} load64|32_splat).
;;
;;   hals_{T}       one sweep over `rows` independent rows of a factor F (the rows of W, or the
;;                  columns of H), for the k components in `order`:
;;                    grad = −(G[i, t] − l1) + Σ_r M[t, r]·F[i, r]   (r = 0 … k−1, in order)
;;                    pg   = F[i, t] == 0 ? min(0, grad) : grad;     violation += |pg|
;;                    F[i, t] = max(F[i, t] − grad / M[t, t], 0)     (unless M[t, t] == 0)
;;                  M is k×k (HHᵀ or WᵀW, L2 on its diagonal), G the cross product (XHᵀ or (WᵀX)ᵀ),
;;                  l1 the L1 penalty (read from memory: *l1, so threads' integer arguments can
;;                  carry it), order k i32 component indices.
;;   transpose_{T}  B[c, r] = A[r, c] for A rows × cols (row-major), B cols × rows
;;
;; Layouts: F and G each either row-major (element (i, t) at i·k + t: pass ld = 0) or component-major
;; (at t·ld + i: pass the row length ld), so W (m×k) and H (k×n) are swept where they live.
;;
;; Rows are taken 64 at a time: a block of F and of G is copied component-major into `scratch`
;; (2·64·k elements, the caller's own), swept there with vectors across rows, and F copied back.
;; Rows of F are independent, so this is scikit-learn's arithmetic exactly (each grad summed over r
;; in order, one multiply and one add per term); only the violation's summation order differs: each
;; block's sum goes to viol[block] (f64), and the caller adds the blocks in order. A block short of
;; 64 rows is padded with zeros, which add exactly nothing. Callers cut rows at multiples of 64, so
;; results do not depend on the number of threads.

(func (export "hals_{T}")
  (param $F i32) (param $G i32) (param $M i32) (param $order i32) (param $viol i32) (param $scratch i32)
  (param $rows i32) (param $k i32) (param $ldF i32) (param $ldG i32) (param $l1 i32)
  (local $i0 i32) (local $n i32) (local $Gs i32) (local $penalty v128)
  (local.set $penalty ({SPLAT} (local.get $l1)))
  (local.set $Gs (i32.add (local.get $scratch) (i32.mul (local.get $k) (i32.const {BLOCK_BYTES}))))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
    (local.set $n (i32.sub (local.get $rows) (local.get $i0)))
    (if (i32.gt_u (local.get $n) (i32.const 64)) (then (local.set $n (i32.const 64))))
    (call $pack_{T} (local.get $F) (local.get $scratch) (local.get $i0) (local.get $n) (local.get $k) (local.get $ldF))
    (call $pack_{T} (local.get $G) (local.get $Gs) (local.get $i0) (local.get $n) (local.get $k) (local.get $ldG))
    (f64.store (local.get $viol) (call $sweepBlock_{T} (local.get $scratch) (local.get $Gs) (local.get $M) (local.get $order) (local.get $k) (local.get $penalty)))
    (call $unpack_{T} (local.get $scratch) (local.get $F) (local.get $i0) (local.get $n) (local.get $k) (local.get $ldF))
    (local.set $viol (i32.add (local.get $viol) (i32.const 8)))
    (local.set $i0 (i32.add (local.get $i0) (i32.const 64)))
    (br $over))))

;; A factor's strides in bytes: row-major (ld = 0) i·k + t, else component-major t·ld + i.
(func $rowStride_{T} (param $k i32) (param $ld i32) (result i32)
  (if (result i32) (i32.eqz (local.get $ld)) (then (i32.mul (local.get $k) (i32.const {S}))) (else (i32.const {S}))))
(func $componentStride_{T} (param $ld i32) (result i32)
  (if (result i32) (i32.eqz (local.get $ld)) (then (i32.const {S})) (else (i32.mul (local.get $ld) (i32.const {S})))))

;; out[t·64 + j] = A(i0 + j, t) for j < n, 0 for n ≤ j < 64.
(func $pack_{T} (param $A i32) (param $out i32) (param $i0 i32) (param $n i32) (param $k i32) (param $ld i32)
  (local $t i32) (local $j i32) (local $o i32) (local $a i32) (local $rs i32) (local $cs i32) (local $end i32)
  (local.set $rs (call $rowStride_{T} (local.get $k) (local.get $ld)))
  (local.set $cs (call $componentStride_{T} (local.get $ld)))
  (local.set $end (i32.mul (local.get $n) (i32.const {S})))
  (block $doneT (loop $overT
    (br_if $doneT (i32.ge_u (local.get $t) (local.get $k)))
    (local.set $o (i32.add (local.get $out) (i32.mul (local.get $t) (i32.const {BLOCK_BYTES}))))
    (local.set $a (i32.add (i32.add (local.get $A) (i32.mul (local.get $i0) (local.get $rs))) (i32.mul (local.get $t) (local.get $cs))))
    (local.set $j (i32.const 0))
    (block $doneJ (loop $overJ
      (br_if $doneJ (i32.ge_u (local.get $j) (local.get $end)))
      ({T}.store (i32.add (local.get $o) (local.get $j)) ({T}.load (local.get $a)))
      (local.set $a (i32.add (local.get $a) (local.get $rs)))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overJ)))
    (block $doneZ (loop $overZ
      (br_if $doneZ (i32.ge_u (local.get $j) (i32.const {BLOCK_BYTES})))
      ({T}.store (i32.add (local.get $o) (local.get $j)) ({T}.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overZ)))
    (local.set $t (i32.add (local.get $t) (i32.const 1)))
    (br $overT))))

;; A(i0 + j, t) = packed[t·64 + j] for j < n.
(func $unpack_{T} (param $packed i32) (param $A i32) (param $i0 i32) (param $n i32) (param $k i32) (param $ld i32)
  (local $t i32) (local $j i32) (local $o i32) (local $a i32) (local $rs i32) (local $cs i32) (local $end i32)
  (local.set $rs (call $rowStride_{T} (local.get $k) (local.get $ld)))
  (local.set $cs (call $componentStride_{T} (local.get $ld)))
  (local.set $end (i32.mul (local.get $n) (i32.const {S})))
  (block $doneT (loop $overT
    (br_if $doneT (i32.ge_u (local.get $t) (local.get $k)))
    (local.set $o (i32.add (local.get $packed) (i32.mul (local.get $t) (i32.const {BLOCK_BYTES}))))
    (local.set $a (i32.add (i32.add (local.get $A) (i32.mul (local.get $i0) (local.get $rs))) (i32.mul (local.get $t) (local.get $cs))))
    (local.set $j (i32.const 0))
    (block $doneJ (loop $overJ
      (br_if $doneJ (i32.ge_u (local.get $j) (local.get $end)))
      ({T}.store (local.get $a) ({T}.load (i32.add (local.get $o) (local.get $j))))
      (local.set $a (i32.add (local.get $a) (local.get $rs)))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overJ)))
    (local.set $t (i32.add (local.get $t) (i32.const 1)))
    (br $overT))))

;; The sweep of one packed block (Fs, Gs: k rows of 64): for each component, the 64 rows in groups
;; of 4 vectors, grad accumulated in 4 registers over r (each M[t, r] splatted once per group).
;; Returns the block's Σ|pg|.
(func $sweepBlock_{T} (param $Fs i32) (param $Gs i32) (param $M i32) (param $order i32) (param $k i32) (param $l1 v128) (result f64)
  (local $s i32) (local $t i32) (local $mt i32) (local $ft i32) (local $gt i32) (local $g i32) (local $r i32) (local $fr i32)
  (local $hess v128) (local $update i32) (local $m v128) (local $f v128) (local $pg v128) (local $viol v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (block $doneS (loop $overS
    (br_if $doneS (i32.ge_u (local.get $s) (local.get $k)))
    (local.set $t (i32.load (i32.add (local.get $order) (i32.shl (local.get $s) (i32.const 2)))))
    (local.set $mt (i32.add (local.get $M) (i32.mul (i32.mul (local.get $t) (local.get $k)) (i32.const {S}))))
    (local.set $hess ({SPLAT} (i32.add (local.get $mt) (i32.mul (local.get $t) (i32.const {S})))))
    (local.set $update (i32.eqz (v128.any_true ({V}.eq (local.get $hess) (v128.const i64x2 0 0)))))
    (local.set $ft (i32.add (local.get $Fs) (i32.mul (local.get $t) (i32.const {BLOCK_BYTES}))))
    (local.set $gt (i32.add (local.get $Gs) (i32.mul (local.get $t) (i32.const {BLOCK_BYTES}))))
    (local.set $g (i32.const 0))
    (block $doneG (loop $overG
      (br_if $doneG (i32.ge_u (local.get $g) (i32.const {BLOCK_BYTES})))
      (local.set $a0 ({V}.neg ({V}.sub (v128.load (i32.add (local.get $gt) (local.get $g))) (local.get $l1))))
      (local.set $a1 ({V}.neg ({V}.sub (v128.load offset=16 (i32.add (local.get $gt) (local.get $g))) (local.get $l1))))
      (local.set $a2 ({V}.neg ({V}.sub (v128.load offset=32 (i32.add (local.get $gt) (local.get $g))) (local.get $l1))))
      (local.set $a3 ({V}.neg ({V}.sub (v128.load offset=48 (i32.add (local.get $gt) (local.get $g))) (local.get $l1))))
      (local.set $r (i32.const 0))
      (local.set $fr (i32.add (local.get $Fs) (local.get $g)))
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $k)))
        (local.set $m ({SPLAT} (i32.add (local.get $mt) (i32.mul (local.get $r) (i32.const {S})))))
        (local.set $a0 ({V}.add (local.get $a0) ({V}.mul (local.get $m) (v128.load (local.get $fr)))))
        (local.set $a1 ({V}.add (local.get $a1) ({V}.mul (local.get $m) (v128.load offset=16 (local.get $fr)))))
        (local.set $a2 ({V}.add (local.get $a2) ({V}.mul (local.get $m) (v128.load offset=32 (local.get $fr)))))
        (local.set $a3 ({V}.add (local.get $a3) ({V}.mul (local.get $m) (v128.load offset=48 (local.get $fr)))))
        (local.set $fr (i32.add (local.get $fr) (i32.const {BLOCK_BYTES})))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $overR)))
      (local.set $fr (i32.add (local.get $ft) (local.get $g)))
      ;; vector 0: |pg| into viol, then the step (Cython's min/max: pmin/pmax, (b < a) ? b : a)
      (local.set $f (v128.load (local.get $fr)))
      (local.set $viol ({V}.add (local.get $viol)
        ({V}.abs (v128.bitselect ({V}.pmin (v128.const i64x2 0 0) (local.get $a0)) (local.get $a0)
          ({V}.eq (local.get $f) (v128.const i64x2 0 0))))))
      (if (local.get $update) (then
        (v128.store (local.get $fr)
          ({V}.pmax ({V}.sub (local.get $f) ({V}.div (local.get $a0) (local.get $hess))) (v128.const i64x2 0 0)))))
      ;; vector 1: |pg| into viol, then the step (Cython's min/max: pmin/pmax, (b < a) ? b : a)
      (local.set $f (v128.load offset=16 (local.get $fr)))
      (local.set $viol ({V}.add (local.get $viol)
        ({V}.abs (v128.bitselect ({V}.pmin (v128.const i64x2 0 0) (local.get $a1)) (local.get $a1)
          ({V}.eq (local.get $f) (v128.const i64x2 0 0))))))
      (if (local.get $update) (then
        (v128.store offset=16 (local.get $fr)
          ({V}.pmax ({V}.sub (local.get $f) ({V}.div (local.get $a1) (local.get $hess))) (v128.const i64x2 0 0)))))
      ;; vector 2: |pg| into viol, then the step (Cython's min/max: pmin/pmax, (b < a) ? b : a)
      (local.set $f (v128.load offset=32 (local.get $fr)))
      (local.set $viol ({V}.add (local.get $viol)
        ({V}.abs (v128.bitselect ({V}.pmin (v128.const i64x2 0 0) (local.get $a2)) (local.get $a2)
          ({V}.eq (local.get $f) (v128.const i64x2 0 0))))))
      (if (local.get $update) (then
        (v128.store offset=32 (local.get $fr)
          ({V}.pmax ({V}.sub (local.get $f) ({V}.div (local.get $a2) (local.get $hess))) (v128.const i64x2 0 0)))))
      ;; vector 3: |pg| into viol, then the step (Cython's min/max: pmin/pmax, (b < a) ? b : a)
      (local.set $f (v128.load offset=48 (local.get $fr)))
      (local.set $viol ({V}.add (local.get $viol)
        ({V}.abs (v128.bitselect ({V}.pmin (v128.const i64x2 0 0) (local.get $a3)) (local.get $a3)
          ({V}.eq (local.get $f) (v128.const i64x2 0 0))))))
      (if (local.get $update) (then
        (v128.store offset=48 (local.get $fr)
          ({V}.pmax ({V}.sub (local.get $f) ({V}.div (local.get $a3) (local.get $hess))) (v128.const i64x2 0 0)))))
      (local.set $g (i32.add (local.get $g) (i32.const 64)))
      (br $overG)))
    (local.set $s (i32.add (local.get $s) (i32.const 1)))
    (br $overS)))
  (call $lanesSum_{T} (local.get $viol)))

(func (export "transpose_{T}") (param $A i32) (param $B i32) (param $rows i32) (param $cols i32)
  (local $r i32) (local $c i32) (local $a i32)
  (block $doneR (loop $overR
    (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $a (i32.add (local.get $A) (i32.mul (i32.mul (local.get $r) (local.get $cols)) (i32.const {S}))))
    (local.set $c (i32.const 0))
    (block $doneC (loop $overC
      (br_if $doneC (i32.ge_u (local.get $c) (local.get $cols)))
      ({T}.store (i32.add (local.get $B) (i32.mul (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const {S})))
        ({T}.load (i32.add (local.get $a) (i32.mul (local.get $c) (i32.const {S})))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $overC)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $overR))))
