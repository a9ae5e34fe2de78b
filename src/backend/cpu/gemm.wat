;; Dense products for the CPU backend in WebAssembly SIMD, written once for both float types
;; (scripts/build-wasm.mjs emits this part for f64x2 and for f32x4: {T} f64|f32, {V} f64x2|f32x4,
;; {S} element bytes 8|4, {S2} two elements' bytes, {SPLAT} v128.load64|32_splat). A vector holds
;; 2 doubles or 4 floats; each kernel's tiles are in vectors, its tails in elements.
;;
;;   abt_{T}    C[m×k]  = A[m×n] · B[k×n]ᵀ    dot products of rows            (X·Hᵀ)
;;   ab_{T}     C[m×n]  = A[m×k] · B[k×n]     rows of A combine rows of B     (W·H, a block of rows;
;;                                                                           X·Hᵀ with Hᵀ held n×k)
;;              or C = X / (A·B) with `ratio` (KL's X / WH, WH never stored)
;;   atbAdd_{T} C[k×n] += A[m×k]ᵀ · B[m×n]    rows of B scaled into rows of C (Wᵀ·X, summed over row blocks)
;;
;; and the elementwise terms of the KL and Itakura-Saito MU updates, where WH == 0 is replaced by
;; scikit-learn's EPSILON (float32 eps) before dividing:
;;
;;   ratio_{T}      V = X / WH         (KL numerator)
;;   ratioSq_{T}    V = (1/WH)²·X      (IS numerator, in scikit-learn's order of operations)
;;   reciprocal_{T} D = 1/WH           (IS denominator)
;;
;; Every array is row-major; pointers are byte offsets into the imported memory, which the host
;; (workspace.ts) allocates 16-byte aligned. Sizes may be any value ≥ 0; all tails are handled here.
;; Addresses are compared unsigned (`_u`) so a memory larger than 2 GiB still works.
;;
;; Threads: the host splits one call into calls on disjoint parts of the output, one per thread
;; (gemm.ts): abt, ab by rows of C (offset pointers, fewer rows), the elementwise kernels by
;; elements, atbAdd by columns of C (its `ld` parameter keeps the row stride while n shrinks).
;; Every output element is computed by the same instruction sequence wherever a part starts, so
;; results do not depend on the number of threads.
;;
;; Why register blocking: a scalar loop does one load per multiply-add. Each kernel below keeps a
;; small tile of results (or of weights) in v128 locals, which V8 maps to xmm registers, so every
;; loaded vector feeds several multiply-adds. x64 has 16 xmm registers, so tiles stay at ≤ 14 live
;; vectors. There is no fused multiply-add in baseline WASM SIMD: each step is a mul then an add.

;; abt: C[i, r] = Σ_j A[i, j]·B[r, j].
;;
;; Tile: 4 rows of A × 2 rows of B, 8 vector accumulators over the contiguous index j. Per step
;; of one vector of j: 6 vector loads feed 8 vector multiply-adds (a scalar loop would need 16
;; loads per lane). Each accumulator holds one partial sum per lane (j mod lanes); they are added
;; at the end, then the last n mod lanes elements in order.
;;
;; Row tails (m or k not a multiple of 4 or 2): row indices are clamped to the last row, so a
;; partial tile recomputes an existing row and stores the same value to the same place again
;; (every lane and slot runs the same operation sequence, so the duplicate is bit-identical).
;; That is correct because abt assigns C; it costs at most 3 extra rows of A and 1 of B.
(func $abt_{T} (export "abt_{T}")
  (param $A i32) (param $B i32) (param $C i32) (param $m i32) (param $n i32) (param $k i32)
  (local $rowA i32) (local $rowC i32) (local $nEven i32) (local $i i32) (local $r i32)
  (local $r1 i32) (local $j i32)
  (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32)
  (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
  (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
  (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
  (local.set $rowA (i32.mul (local.get $n) (i32.const {S})))
  (local.set $rowC (i32.mul (local.get $k) (i32.const {S})))
  (local.set $nEven (i32.and (local.get $rowA) (i32.const -16)))   ;; bytes covered by whole vectors
  (block $doneI (loop $overI
    (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))
    ;; rows i..i+3 of A and C, clamped to m−1
    (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA))))
    (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rowC))))
    (local.set $a1 (local.get $a0)) (local.set $c1 (local.get $c0))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m)) (then
      (local.set $a1 (i32.add (local.get $a0) (local.get $rowA)))
      (local.set $c1 (i32.add (local.get $c0) (local.get $rowC)))))
    (local.set $a2 (local.get $a1)) (local.set $c2 (local.get $c1))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)) (then
      (local.set $a2 (i32.add (local.get $a1) (local.get $rowA)))
      (local.set $c2 (i32.add (local.get $c1) (local.get $rowC)))))
    (local.set $a3 (local.get $a2)) (local.set $c3 (local.get $c2))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 3)) (local.get $m)) (then
      (local.set $a3 (i32.add (local.get $a2) (local.get $rowA)))
      (local.set $c3 (i32.add (local.get $c2) (local.get $rowC)))))
    (local.set $r (i32.const 0))
    (block $doneR (loop $overR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $k)))
      ;; rows r and r1 = min(r + 1, k − 1) of B
      (local.set $r1 (i32.add (local.get $r) (i32.const 1)))
      (if (i32.ge_u (local.get $r1) (local.get $k)) (then (local.set $r1 (local.get $r))))
      (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $r) (local.get $rowA))))
      (local.set $b1 (i32.add (local.get $B) (i32.mul (local.get $r1) (local.get $rowA))))
      (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
      (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
      (local.set $s20 (v128.const i64x2 0 0)) (local.set $s21 (v128.const i64x2 0 0))
      (local.set $s30 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0))
      (local.set $j (i32.const 0))
      (block $doneJ (loop $overJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $nEven)))
        (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $j))))
        (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $j))))
        (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $j))))
        (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $x0) (local.get $y0))))
        (local.set $s01 ({V}.add (local.get $s01) ({V}.mul (local.get $x0) (local.get $y1))))
        (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $j))))
        (local.set $s10 ({V}.add (local.get $s10) ({V}.mul (local.get $x1) (local.get $y0))))
        (local.set $s11 ({V}.add (local.get $s11) ({V}.mul (local.get $x1) (local.get $y1))))
        (local.set $x2 (v128.load (i32.add (local.get $a2) (local.get $j))))
        (local.set $s20 ({V}.add (local.get $s20) ({V}.mul (local.get $x2) (local.get $y0))))
        (local.set $s21 ({V}.add (local.get $s21) ({V}.mul (local.get $x2) (local.get $y1))))
        (local.set $x3 (v128.load (i32.add (local.get $a3) (local.get $j))))
        (local.set $s30 ({V}.add (local.get $s30) ({V}.mul (local.get $x3) (local.get $y0))))
        (local.set $s31 ({V}.add (local.get $s31) ({V}.mul (local.get $x3) (local.get $y1))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $overJ)))
      ;; the lanes, then the last n mod lanes elements of the rows (none when n is a multiple)
      ({T}.store (i32.add (local.get $c0) (i32.mul (local.get $r) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s00) (call $dotTail_{T} (local.get $a0) (local.get $b0) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c0) (i32.mul (local.get $r1) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s01) (call $dotTail_{T} (local.get $a0) (local.get $b1) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c1) (i32.mul (local.get $r) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s10) (call $dotTail_{T} (local.get $a1) (local.get $b0) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c1) (i32.mul (local.get $r1) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s11) (call $dotTail_{T} (local.get $a1) (local.get $b1) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c2) (i32.mul (local.get $r) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s20) (call $dotTail_{T} (local.get $a2) (local.get $b0) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c2) (i32.mul (local.get $r1) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s21) (call $dotTail_{T} (local.get $a2) (local.get $b1) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c3) (i32.mul (local.get $r) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s30) (call $dotTail_{T} (local.get $a3) (local.get $b0) (local.get $nEven) (local.get $rowA))))
      ({T}.store (i32.add (local.get $c3) (i32.mul (local.get $r1) (i32.const {S})))
        (call $hsumAdd_{T} (local.get $s31) (call $dotTail_{T} (local.get $a3) (local.get $b1) (local.get $nEven) (local.get $rowA))))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $overR)))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $overI))))

;; Σ a[j]·b[j] over byte offsets from … to, in order from 0: abt's row tails.
(func $dotTail_{T} (param $a i32) (param $b i32) (param $from i32) (param $to i32) (result {T})
  (local $s {T})
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
    (local.set $s ({T}.add (local.get $s)
      ({T}.mul ({T}.load (i32.add (local.get $a) (local.get $from))) ({T}.load (i32.add (local.get $b) (local.get $from))))))
    (local.set $from (i32.add (local.get $from) (i32.const {S})))
    (br $over)))
  (local.get $s))

;; ab: C[i, j] = Σ_r A[i, r]·B[r, j].
;;
;; Tile: 4 rows of C × 2 vectors of columns, 8 accumulators, summed over r in order. Per r: 4
;; splat loads of A[i.., r] and 2 vector loads of B[r, j..] feed 8 vector multiply-adds. One pointer
;; walks row i of A (rows i+1.. at fixed distances d1..d3) and one walks B (its two vectors at
;; constant offsets), so a step spends 3 address additions on 6 loads. V8 issues a step's loads
;; before its arithmetic, so the loaded values, weights and sums are all live at once: 4 + 2 + 8
;; + a product = 15 vectors, the xmm registers V8 allocates (wider tiles measured slower: spills).
;; X·Hᵀ runs here as X·(Hᵀ) with Hᵀ held n×k (k = 20: five tiles per row of C).
;;
;; With `ratio` ≠ 0 it stores C = X / WH instead (KL's numerator terms, X laid out as C, WH == 0
;; replaced by EPSILON as in ratio_{T}: the same bits), so WH never goes through memory.
;;
;; Row tail: clamped to row m−1 as in abt (ab assigns C, so duplicates are harmless).
;; Column tails: single vectors, then scalar columns, each summed in the same order, so an element
;; gets the same bits whichever tile covers it.
(func $ab_{T} (export "ab_{T}")
  (param $A i32) (param $B i32) (param $C i32) (param $m i32) (param $k i32) (param $n i32) (param $X i32) (param $ratio i32)
  (local $xd i32) (local $rowA i32) (local $rowC i32) (local $i i32) (local $j i32) (local $p i32) (local $pa i32) (local $aEnd i32)
  (local $a0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
  (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $y0 v128) (local $y1 v128)
  (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
  (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
  (local $x {T}) (local $u0 {T}) (local $u1 {T}) (local $u2 {T}) (local $u3 {T})
  (local.set $xd (i32.sub (local.get $X) (local.get $C)))   ;; X[i, j] is at &C[i, j] + xd
  (local.set $rowA (i32.mul (local.get $k) (i32.const {S})))
  (local.set $rowC (i32.mul (local.get $n) (i32.const {S})))
  (block $doneI (loop $overI
    (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))
    ;; rows i..i+3, clamped to m−1: A's at a0 + d_t, C's at c_t
    (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA))))
    (local.set $aEnd (i32.add (local.get $a0) (local.get $rowA)))
    (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rowC))))
        (local.set $d1 (i32.const 0)) (local.set $c1 (local.get $c0))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m)) (then
      (local.set $d1 (local.get $rowA))
      (local.set $c1 (i32.add (local.get $c0) (local.get $rowC)))))
    (local.set $d2 (local.get $d1)) (local.set $c2 (local.get $c1))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)) (then
      (local.set $d2 (i32.add (local.get $d1) (local.get $rowA)))
      (local.set $c2 (i32.add (local.get $c1) (local.get $rowC)))))
    (local.set $d3 (local.get $d2)) (local.set $c3 (local.get $c2))
    (if (i32.lt_u (i32.add (local.get $i) (i32.const 3)) (local.get $m)) (then
      (local.set $d3 (i32.add (local.get $d2) (local.get $rowA)))
      (local.set $c3 (i32.add (local.get $c2) (local.get $rowC)))))
    ;; whole 2-vector tiles
    (local.set $j (i32.const 0))
    (block $doneJ (loop $overJ
      (br_if $doneJ (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $rowC)))
      (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0)) (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0)) (local.set $s20 (v128.const i64x2 0 0)) (local.set $s21 (v128.const i64x2 0 0)) (local.set $s30 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0))
      (local.set $p (i32.add (local.get $B) (local.get $j)))   ;; &B[r, j]
      (local.set $pa (local.get $a0))                          ;; &A[i, r]
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $pa) (local.get $aEnd)))
        (local.set $w0 ({SPLAT} (local.get $pa)))
        (local.set $w1 ({SPLAT} (i32.add (local.get $pa) (local.get $d1))))
        (local.set $w2 ({SPLAT} (i32.add (local.get $pa) (local.get $d2))))
        (local.set $w3 ({SPLAT} (i32.add (local.get $pa) (local.get $d3))))
        (local.set $y0 (v128.load (local.get $p)))
        (local.set $y1 (v128.load offset=16 (local.get $p)))
        (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0)))) (local.set $s01 ({V}.add (local.get $s01) ({V}.mul (local.get $w0) (local.get $y1))))
        (local.set $s10 ({V}.add (local.get $s10) ({V}.mul (local.get $w1) (local.get $y0)))) (local.set $s11 ({V}.add (local.get $s11) ({V}.mul (local.get $w1) (local.get $y1))))
        (local.set $s20 ({V}.add (local.get $s20) ({V}.mul (local.get $w2) (local.get $y0)))) (local.set $s21 ({V}.add (local.get $s21) ({V}.mul (local.get $w2) (local.get $y1))))
        (local.set $s30 ({V}.add (local.get $s30) ({V}.mul (local.get $w3) (local.get $y0)))) (local.set $s31 ({V}.add (local.get $s31) ({V}.mul (local.get $w3) (local.get $y1))))
        (local.set $p (i32.add (local.get $p) (local.get $rowC)))
        (local.set $pa (i32.add (local.get $pa) (i32.const {S})))
        (br $overR)))
      (if (local.get $ratio)
        (then   ;; C = X / guard(A·B)
        (v128.store offset=0 (i32.add (local.get $c0) (local.get $j)) ({V}.div (v128.load offset=0 (i32.add (i32.add (local.get $c0) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s00) ({V}.eq (local.get $s00) (v128.const i64x2 0 0)))))
        (v128.store offset=16 (i32.add (local.get $c0) (local.get $j)) ({V}.div (v128.load offset=16 (i32.add (i32.add (local.get $c0) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s01) ({V}.eq (local.get $s01) (v128.const i64x2 0 0)))))
        (v128.store offset=0 (i32.add (local.get $c1) (local.get $j)) ({V}.div (v128.load offset=0 (i32.add (i32.add (local.get $c1) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s10) ({V}.eq (local.get $s10) (v128.const i64x2 0 0)))))
        (v128.store offset=16 (i32.add (local.get $c1) (local.get $j)) ({V}.div (v128.load offset=16 (i32.add (i32.add (local.get $c1) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s11) ({V}.eq (local.get $s11) (v128.const i64x2 0 0)))))
        (v128.store offset=0 (i32.add (local.get $c2) (local.get $j)) ({V}.div (v128.load offset=0 (i32.add (i32.add (local.get $c2) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s20) ({V}.eq (local.get $s20) (v128.const i64x2 0 0)))))
        (v128.store offset=16 (i32.add (local.get $c2) (local.get $j)) ({V}.div (v128.load offset=16 (i32.add (i32.add (local.get $c2) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s21) ({V}.eq (local.get $s21) (v128.const i64x2 0 0)))))
        (v128.store offset=0 (i32.add (local.get $c3) (local.get $j)) ({V}.div (v128.load offset=0 (i32.add (i32.add (local.get $c3) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s30) ({V}.eq (local.get $s30) (v128.const i64x2 0 0)))))
        (v128.store offset=16 (i32.add (local.get $c3) (local.get $j)) ({V}.div (v128.load offset=16 (i32.add (i32.add (local.get $c3) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s31) ({V}.eq (local.get $s31) (v128.const i64x2 0 0))))))
        (else
        (v128.store offset=0 (i32.add (local.get $c0) (local.get $j)) (local.get $s00))
        (v128.store offset=16 (i32.add (local.get $c0) (local.get $j)) (local.get $s01))
        (v128.store offset=0 (i32.add (local.get $c1) (local.get $j)) (local.get $s10))
        (v128.store offset=16 (i32.add (local.get $c1) (local.get $j)) (local.get $s11))
        (v128.store offset=0 (i32.add (local.get $c2) (local.get $j)) (local.get $s20))
        (v128.store offset=16 (i32.add (local.get $c2) (local.get $j)) (local.get $s21))
        (v128.store offset=0 (i32.add (local.get $c3) (local.get $j)) (local.get $s30))
        (v128.store offset=16 (i32.add (local.get $c3) (local.get $j)) (local.get $s31))))
      (local.set $j (i32.add (local.get $j) (i32.const 32)))
      (br $overJ)))
    ;; a last single vector
    (if (i32.le_u (i32.add (local.get $j) (i32.const 16)) (local.get $rowC)) (then
      (local.set $s00 (v128.const i64x2 0 0)) (local.set $s10 (v128.const i64x2 0 0)) (local.set $s20 (v128.const i64x2 0 0)) (local.set $s30 (v128.const i64x2 0 0))
      (local.set $p (i32.add (local.get $B) (local.get $j)))   ;; &B[r, j]
      (local.set $pa (local.get $a0))                          ;; &A[i, r]
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $pa) (local.get $aEnd)))
        (local.set $w0 ({SPLAT} (local.get $pa)))
        (local.set $w1 ({SPLAT} (i32.add (local.get $pa) (local.get $d1))))
        (local.set $w2 ({SPLAT} (i32.add (local.get $pa) (local.get $d2))))
        (local.set $w3 ({SPLAT} (i32.add (local.get $pa) (local.get $d3))))
        (local.set $y0 (v128.load (local.get $p)))
        (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0))))
        (local.set $s10 ({V}.add (local.get $s10) ({V}.mul (local.get $w1) (local.get $y0))))
        (local.set $s20 ({V}.add (local.get $s20) ({V}.mul (local.get $w2) (local.get $y0))))
        (local.set $s30 ({V}.add (local.get $s30) ({V}.mul (local.get $w3) (local.get $y0))))
        (local.set $p (i32.add (local.get $p) (local.get $rowC)))
        (local.set $pa (i32.add (local.get $pa) (i32.const {S})))
        (br $overR)))
      (if (local.get $ratio)
        (then   ;; C = X / guard(A·B)
        (v128.store (i32.add (local.get $c0) (local.get $j)) ({V}.div (v128.load (i32.add (i32.add (local.get $c0) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s00) ({V}.eq (local.get $s00) (v128.const i64x2 0 0)))))
        (v128.store (i32.add (local.get $c1) (local.get $j)) ({V}.div (v128.load (i32.add (i32.add (local.get $c1) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s10) ({V}.eq (local.get $s10) (v128.const i64x2 0 0)))))
        (v128.store (i32.add (local.get $c2) (local.get $j)) ({V}.div (v128.load (i32.add (i32.add (local.get $c2) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s20) ({V}.eq (local.get $s20) (v128.const i64x2 0 0)))))
        (v128.store (i32.add (local.get $c3) (local.get $j)) ({V}.div (v128.load (i32.add (i32.add (local.get $c3) (local.get $j)) (local.get $xd))) (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $s30) ({V}.eq (local.get $s30) (v128.const i64x2 0 0))))))
        (else
        (v128.store (i32.add (local.get $c0) (local.get $j)) (local.get $s00))
        (v128.store (i32.add (local.get $c1) (local.get $j)) (local.get $s10))
        (v128.store (i32.add (local.get $c2) (local.get $j)) (local.get $s20))
        (v128.store (i32.add (local.get $c3) (local.get $j)) (local.get $s30))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))))
    ;; the last columns (fewer than a vector), one at a time
    (block $doneT (loop $overT
      (br_if $doneT (i32.ge_u (local.get $j) (local.get $rowC)))
      (local.set $u0 ({T}.const 0)) (local.set $u1 ({T}.const 0)) (local.set $u2 ({T}.const 0)) (local.set $u3 ({T}.const 0))
      (local.set $p (i32.add (local.get $B) (local.get $j)))   ;; &B[r, j]
      (local.set $pa (local.get $a0))                          ;; &A[i, r]
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $pa) (local.get $aEnd)))
        (local.set $x ({T}.load (local.get $p)))
        (local.set $u0 ({T}.add (local.get $u0) ({T}.mul ({T}.load (local.get $pa)) (local.get $x))))
        (local.set $u1 ({T}.add (local.get $u1) ({T}.mul ({T}.load (i32.add (local.get $pa) (local.get $d1))) (local.get $x))))
        (local.set $u2 ({T}.add (local.get $u2) ({T}.mul ({T}.load (i32.add (local.get $pa) (local.get $d2))) (local.get $x))))
        (local.set $u3 ({T}.add (local.get $u3) ({T}.mul ({T}.load (i32.add (local.get $pa) (local.get $d3))) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (local.get $rowC)))
        (local.set $pa (i32.add (local.get $pa) (i32.const {S})))
        (br $overR)))
      (if (local.get $ratio)
        (then   ;; C = X / guard(A·B)
        ({T}.store (i32.add (local.get $c0) (local.get $j)) ({T}.div ({T}.load (i32.add (i32.add (local.get $c0) (local.get $j)) (local.get $xd))) (select ({T}.const 1.1920928955078125e-07) (local.get $u0) ({T}.eq (local.get $u0) ({T}.const 0)))))
        ({T}.store (i32.add (local.get $c1) (local.get $j)) ({T}.div ({T}.load (i32.add (i32.add (local.get $c1) (local.get $j)) (local.get $xd))) (select ({T}.const 1.1920928955078125e-07) (local.get $u1) ({T}.eq (local.get $u1) ({T}.const 0)))))
        ({T}.store (i32.add (local.get $c2) (local.get $j)) ({T}.div ({T}.load (i32.add (i32.add (local.get $c2) (local.get $j)) (local.get $xd))) (select ({T}.const 1.1920928955078125e-07) (local.get $u2) ({T}.eq (local.get $u2) ({T}.const 0)))))
        ({T}.store (i32.add (local.get $c3) (local.get $j)) ({T}.div ({T}.load (i32.add (i32.add (local.get $c3) (local.get $j)) (local.get $xd))) (select ({T}.const 1.1920928955078125e-07) (local.get $u3) ({T}.eq (local.get $u3) ({T}.const 0))))))
        (else
        ({T}.store (i32.add (local.get $c0) (local.get $j)) (local.get $u0))
        ({T}.store (i32.add (local.get $c1) (local.get $j)) (local.get $u1))
        ({T}.store (i32.add (local.get $c2) (local.get $j)) (local.get $u2))
        ({T}.store (i32.add (local.get $c3) (local.get $j)) (local.get $u3))))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overT)))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $overI))))

;; atbAdd: C[r, j] += Σ_i A[i, r]·B[i, j].
;;
;; Tile: 4 rows of B × 2 rows of C. The 8 weights A[i..i+3, r..r+1] are splatted once; then one
;; pass over the columns updates rows r and r+1 of C with all 4 rows of B:
;;   C[r, j..j+1] += (w0·B[i, j..j+1] + w1·B[i+1, ..]) + (w2·B[i+2, ..] + w3·B[i+3, ..])
;; Per step: 4 loads of B, 2 loads and 2 stores of C for 8 vector multiply-adds; adding B's rows
;; one at a time would load and store C once per multiply-add.
;;
;; Column chunks: C is k rows of n; updating all of it for every 4 rows of B would stream C
;; through L2 m/4 times. Columns are instead taken CHUNK (= 1 KiB per row, 128 doubles; the
;; literal 1024 below) at a time, so the chunk of C (k KiB, 20 KiB for k = 20) stays in the
;; 32 KiB L1 while every row of B passes over it.
;;
;; Tails: the last chunk may be narrower, and end with scalar columns (fewer than a vector); odd k
;; leaves one row of C, done with 4 rows of B alone; the last m mod 4 rows of B are added one
;; at a time. (atbAdd accumulates, so rows cannot be clamped and recomputed as in abt.)
;;
;; Column range: only the first n columns of B and C are read and written, while their rows are
;; ld elements apart (ld = n for whole matrices; a thread passes B and C offset to its first
;; column, its column count as n, and the full row length as ld).
(func $atbAdd_{T} (export "atbAdd_{T}")
  (param $A i32) (param $B i32) (param $C i32) (param $m i32) (param $k i32) (param $n i32) (param $ld i32)
  (local $rowA i32) (local $rowB i32) (local $colEnd i32) (local $m4 i32) (local $j0 i32) (local $j1 i32) (local $j1v i32)
  (local $i i32) (local $q i32) (local $j i32)
  (local $a0 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $c i32)
  (local $a1 i32) (local $c1 i32)
  (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
  (local.set $rowA (i32.mul (local.get $k) (i32.const {S})))
  (local.set $rowB (i32.mul (local.get $ld) (i32.const {S})))      ;; row stride of B and C
  (local.set $colEnd (i32.mul (local.get $n) (i32.const {S})))     ;; bytes of each row to update
  (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
  (block $doneChunk (loop $overChunk
    (br_if $doneChunk (i32.ge_u (local.get $j0) (local.get $colEnd)))
    ;; columns [j0, j1) in bytes; [j0, j1v) in whole vectors
    (local.set $j1 (i32.add (local.get $j0) (i32.const 1024)))   ;; CHUNK in bytes
    (if (i32.gt_u (local.get $j1) (local.get $colEnd)) (then (local.set $j1 (local.get $colEnd))))
    (local.set $j1v (i32.add (local.get $j0)
      (i32.and (i32.sub (local.get $j1) (local.get $j0)) (i32.const -16))))
    ;; rows of B four at a time
    (local.set $i (i32.const 0))
    (block $doneI (loop $overI
      (br_if $doneI (i32.ge_u (local.get $i) (local.get $m4)))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA))))
      (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $i) (local.get $rowB))))
      (local.set $b1 (i32.add (local.get $b0) (local.get $rowB)))
      (local.set $b2 (i32.add (local.get $b1) (local.get $rowB)))
      (local.set $b3 (i32.add (local.get $b2) (local.get $rowB)))
      (local.set $c (local.get $C))   ;; row r of C
      (local.set $q (i32.const 0))    ;; r·8
      ;; rows r, r + 1 of C together: 8 weights, each vector of B feeds two rows of C
      (block $doneR2 (loop $overR2
        (br_if $doneR2 (i32.gt_u (i32.add (local.get $q) (i32.const {S2})) (local.get $rowA)))
        (local.set $a1 (i32.add (local.get $a0) (local.get $q)))   ;; &A[i, r]
        (local.set $w0 ({SPLAT} (local.get $a1)))
        (local.set $v0 ({SPLAT} offset={S} (local.get $a1)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $rowA)))
        (local.set $w1 ({SPLAT} (local.get $a1)))
        (local.set $v1 ({SPLAT} offset={S} (local.get $a1)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $rowA)))
        (local.set $w2 ({SPLAT} (local.get $a1)))
        (local.set $v2 ({SPLAT} offset={S} (local.get $a1)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $rowA)))
        (local.set $w3 ({SPLAT} (local.get $a1)))
        (local.set $v3 ({SPLAT} offset={S} (local.get $a1)))
        (local.set $c1 (i32.add (local.get $c) (local.get $rowB)))
        (local.set $j (local.get $j0))
        (block $doneJ (loop $overJ
          (br_if $doneJ (i32.ge_u (local.get $j) (local.get $j1v)))
          (local.set $x0 (v128.load (i32.add (local.get $b0) (local.get $j))))
          (local.set $x1 (v128.load (i32.add (local.get $b1) (local.get $j))))
          (local.set $x2 (v128.load (i32.add (local.get $b2) (local.get $j))))
          (local.set $x3 (v128.load (i32.add (local.get $b3) (local.get $j))))
          (v128.store (i32.add (local.get $c) (local.get $j))
            ({V}.add (v128.load (i32.add (local.get $c) (local.get $j)))
              ({V}.add
                ({V}.add ({V}.mul (local.get $w0) (local.get $x0)) ({V}.mul (local.get $w1) (local.get $x1)))
                ({V}.add ({V}.mul (local.get $w2) (local.get $x2)) ({V}.mul (local.get $w3) (local.get $x3))))))
          (v128.store (i32.add (local.get $c1) (local.get $j))
            ({V}.add (v128.load (i32.add (local.get $c1) (local.get $j)))
              ({V}.add
                ({V}.add ({V}.mul (local.get $v0) (local.get $x0)) ({V}.mul (local.get $v1) (local.get $x1)))
                ({V}.add ({V}.mul (local.get $v2) (local.get $x2)) ({V}.mul (local.get $v3) (local.get $x3))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $overJ)))
        (block $doneOdd (loop $overOdd   ;; the last columns (fewer than a vector) one at a time
          (br_if $doneOdd (i32.ge_u (local.get $j) (local.get $j1)))
          ({T}.store (i32.add (local.get $c) (local.get $j))
            ({T}.add ({T}.load (i32.add (local.get $c) (local.get $j)))
              (call $dot4_{T} (local.get $w0) (local.get $w1) (local.get $w2) (local.get $w3)
                (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3) (local.get $j))))
          ({T}.store (i32.add (local.get $c1) (local.get $j))
            ({T}.add ({T}.load (i32.add (local.get $c1) (local.get $j)))
              (call $dot4_{T} (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3)
                (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const {S})))
          (br $overOdd)))
        (local.set $c (i32.add (local.get $c1) (local.get $rowB)))
        (local.set $q (i32.add (local.get $q) (i32.const {S2})))
        (br $overR2)))
      ;; odd k: the last row of C alone
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $q) (local.get $rowA)))
        (local.set $w0 ({SPLAT} (i32.add (local.get $a0) (local.get $q))))
        (local.set $w1 ({SPLAT} (i32.add (i32.add (local.get $a0) (local.get $rowA)) (local.get $q))))
        (local.set $w2 ({SPLAT} (i32.add (i32.add (local.get $a0) (i32.shl (local.get $rowA) (i32.const 1))) (local.get $q))))
        (local.set $w3 ({SPLAT} (i32.add (i32.add (local.get $a0) (i32.mul (local.get $rowA) (i32.const 3))) (local.get $q))))
        (local.set $j (local.get $j0))
        (block $doneJ (loop $overJ
          (br_if $doneJ (i32.ge_u (local.get $j) (local.get $j1v)))
          (v128.store (i32.add (local.get $c) (local.get $j))
            ({V}.add (v128.load (i32.add (local.get $c) (local.get $j)))
              ({V}.add
                ({V}.add
                  ({V}.mul (local.get $w0) (v128.load (i32.add (local.get $b0) (local.get $j))))
                  ({V}.mul (local.get $w1) (v128.load (i32.add (local.get $b1) (local.get $j)))))
                ({V}.add
                  ({V}.mul (local.get $w2) (v128.load (i32.add (local.get $b2) (local.get $j))))
                  ({V}.mul (local.get $w3) (v128.load (i32.add (local.get $b3) (local.get $j))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $overJ)))
        (block $doneOdd (loop $overOdd   ;; the last columns (fewer than a vector) one at a time
          (br_if $doneOdd (i32.ge_u (local.get $j) (local.get $j1)))
          ({T}.store (i32.add (local.get $c) (local.get $j))
            ({T}.add ({T}.load (i32.add (local.get $c) (local.get $j)))
              (call $dot4_{T} (local.get $w0) (local.get $w1) (local.get $w2) (local.get $w3)
                (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const {S})))
          (br $overOdd)))
        (local.set $c (i32.add (local.get $c) (local.get $rowB)))
        (local.set $q (i32.add (local.get $q) (i32.const {S})))
        (br $overR)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $overI)))
    ;; the last m mod 4 rows of B, one at a time
    (block $doneI1 (loop $overI1
      (br_if $doneI1 (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA))))
      (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $i) (local.get $rowB))))
      (local.set $c (local.get $C))
      (local.set $q (i32.const 0))
      (block $doneR (loop $overR
        (br_if $doneR (i32.ge_u (local.get $q) (local.get $rowA)))
        (local.set $w0 ({SPLAT} (i32.add (local.get $a0) (local.get $q))))
        (local.set $j (local.get $j0))
        (block $doneJ (loop $overJ
          (br_if $doneJ (i32.ge_u (local.get $j) (local.get $j1v)))
          (v128.store (i32.add (local.get $c) (local.get $j))
            ({V}.add (v128.load (i32.add (local.get $c) (local.get $j)))
              ({V}.mul (local.get $w0) (v128.load (i32.add (local.get $b0) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $overJ)))
        (block $doneOdd (loop $overOdd   ;; the last columns (fewer than a vector) one at a time
          (br_if $doneOdd (i32.ge_u (local.get $j) (local.get $j1)))
          ({T}.store (i32.add (local.get $c) (local.get $j))
            ({T}.add ({T}.load (i32.add (local.get $c) (local.get $j)))
              ({T}.mul ({V}.extract_lane 0 (local.get $w0)) ({T}.load (i32.add (local.get $b0) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const {S})))
          (br $overOdd)))
        (local.set $c (i32.add (local.get $c) (local.get $rowB)))
        (local.set $q (i32.add (local.get $q) (i32.const {S})))
        (br $overR)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $overI1)))
    (local.set $j0 (i32.add (local.get $j0) (i32.const 1024)))
    (br $overChunk))))
;; A last column of atbAdd: Σ_t w_t[0]·B_t[j] over 4 rows of B, summed in the vector loop's order.
(func $dot4_{T} (param $w0 v128) (param $w1 v128) (param $w2 v128) (param $w3 v128)
  (param $b0 i32) (param $b1 i32) (param $b2 i32) (param $b3 i32) (param $j i32) (result {T})
  ({T}.add
    ({T}.add
      ({T}.mul ({V}.extract_lane 0 (local.get $w0)) ({T}.load (i32.add (local.get $b0) (local.get $j))))
      ({T}.mul ({V}.extract_lane 0 (local.get $w1)) ({T}.load (i32.add (local.get $b1) (local.get $j)))))
    ({T}.add
      ({T}.mul ({V}.extract_lane 0 (local.get $w2)) ({T}.load (i32.add (local.get $b2) (local.get $j))))
      ({T}.mul ({V}.extract_lane 0 (local.get $w3)) ({T}.load (i32.add (local.get $b3) (local.get $j)))))))

;; The elementwise kernels walk len elements a vector at a time; each of the last ones runs the
;; same operations on a vector made with {V}.splat, so it rounds exactly like the others. Each loop
;; is written out (no helper calls) so the division pipeline stays busy.
;; guard(w) = v128.bitselect(EPSILON, w, w == 0): w, or EPSILON where w == 0.

(func $ratio_{T} (export "ratio_{T}") (param $X i32) (param $WH i32) (param $V i32) (param $len i32)
  (local $q i32) (local $end i32) (local $w v128)
  (local.set $end (i32.mul (local.get $len) (i32.const {S})))
  (block $done (loop $over
    (br_if $done (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
    (local.set $w (v128.load (i32.add (local.get $WH) (local.get $q))))
    (v128.store (i32.add (local.get $V) (local.get $q))
      ({V}.div (v128.load (i32.add (local.get $X) (local.get $q)))
        (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
          ({V}.eq (local.get $w) (v128.const i64x2 0 0)))))
    (local.set $q (i32.add (local.get $q) (i32.const 16)))
    (br $over)))
  (block $doneT (loop $overT   ;; the last elements one at a time, each as a splatted vector
    (br_if $doneT (i32.ge_u (local.get $q) (local.get $end)))
    (local.set $w ({V}.splat ({T}.load (i32.add (local.get $WH) (local.get $q)))))
    ({T}.store (i32.add (local.get $V) (local.get $q))
      ({V}.extract_lane 0
        ({V}.div ({V}.splat ({T}.load (i32.add (local.get $X) (local.get $q))))
          (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
            ({V}.eq (local.get $w) (v128.const i64x2 0 0))))))
    (local.set $q (i32.add (local.get $q) (i32.const {S})))
    (br $overT))))

(func $ratioSq_{T} (export "ratioSq_{T}") (param $X i32) (param $WH i32) (param $V i32) (param $len i32)
  (local $q i32) (local $end i32) (local $w v128) (local $inv v128)
  (local.set $end (i32.mul (local.get $len) (i32.const {S})))
  (block $done (loop $over
    (br_if $done (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
    (local.set $w (v128.load (i32.add (local.get $WH) (local.get $q))))
    (local.set $inv ({V}.div ({V}.splat ({T}.const 1))
      (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
        ({V}.eq (local.get $w) (v128.const i64x2 0 0)))))
    (v128.store (i32.add (local.get $V) (local.get $q))
      ({V}.mul ({V}.mul (local.get $inv) (local.get $inv)) (v128.load (i32.add (local.get $X) (local.get $q)))))
    (local.set $q (i32.add (local.get $q) (i32.const 16)))
    (br $over)))
  (block $doneT (loop $overT   ;; the last elements one at a time, each as a splatted vector
    (br_if $doneT (i32.ge_u (local.get $q) (local.get $end)))
    (local.set $w ({V}.splat ({T}.load (i32.add (local.get $WH) (local.get $q)))))
    (local.set $inv ({V}.div ({V}.splat ({T}.const 1))
      (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
        ({V}.eq (local.get $w) (v128.const i64x2 0 0)))))
    ({T}.store (i32.add (local.get $V) (local.get $q))
      ({V}.extract_lane 0
        ({V}.mul ({V}.mul (local.get $inv) (local.get $inv))
          ({V}.splat ({T}.load (i32.add (local.get $X) (local.get $q)))))))
    (local.set $q (i32.add (local.get $q) (i32.const {S})))
    (br $overT))))

(func $reciprocal_{T} (export "reciprocal_{T}") (param $WH i32) (param $D i32) (param $len i32)
  (local $q i32) (local $end i32) (local $w v128)
  (local.set $end (i32.mul (local.get $len) (i32.const {S})))
  (block $done (loop $over
    (br_if $done (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $end)))
    (local.set $w (v128.load (i32.add (local.get $WH) (local.get $q))))
    (v128.store (i32.add (local.get $D) (local.get $q))
      ({V}.div ({V}.splat ({T}.const 1))
        (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
          ({V}.eq (local.get $w) (v128.const i64x2 0 0)))))
    (local.set $q (i32.add (local.get $q) (i32.const 16)))
    (br $over)))
  (block $doneT (loop $overT   ;; the last elements one at a time, each as a splatted vector
    (br_if $doneT (i32.ge_u (local.get $q) (local.get $end)))
    (local.set $w ({V}.splat ({T}.load (i32.add (local.get $WH) (local.get $q)))))
    ({T}.store (i32.add (local.get $D) (local.get $q))
      ({V}.extract_lane 0
        ({V}.div ({V}.splat ({T}.const 1))
          (v128.bitselect ({V}.splat ({T}.const 1.1920928955078125e-07)) (local.get $w)
            ({V}.eq (local.get $w) (v128.const i64x2 0 0))))))
    (local.set $q (i32.add (local.get $q) (i32.const {S})))
    (br $overT))))
