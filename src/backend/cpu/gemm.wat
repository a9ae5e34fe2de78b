;; Dense products for the CPU backend in WebAssembly SIMD, written once for both float types
;; (scripts/build-wasm.mjs emits this part for f64x2 and for f32x4: {T} f64|f32, {V} f64x2|f32x4,
;; {S} element bytes 8|4, {S2} two elements' bytes, {SPLAT} v128.load64|32_splat). A vector holds
;; 2 doubles or 4 floats; each kernel's tiles are in vectors, its tails in elements.
;;
;;   abt_{T}    C[m×k]  = A[m×n] · B[k×n]ᵀ    dot products of rows            (X·Hᵀ)
;;   ab_{T}     C[m×n]  = A[m×k] · B[k×n]     rows of A combine rows of B     (W·H, a block of rows)
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
;; Row tail: clamped to row m−1 as in abt (ab assigns C, so duplicates are harmless).
;; Column tails: single vectors, then scalar columns, each summed in the same order, so an element
;; gets the same bits whichever tile covers it.
(func $ab_{T} (export "ab_{T}")
  (param $A i32) (param $B i32) (param $C i32) (param $m i32) (param $k i32) (param $n i32)
  (local $rowA i32) (local $rowC i32) (local $i i32) (local $j i32) (local $p i32) (local $pa i32) (local $aEnd i32)
  (local $a0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
  (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $y0 v128) (local $y1 v128)
  (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
  (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
  (local $x {T}) (local $u0 {T}) (local $u1 {T}) (local $u2 {T}) (local $u3 {T})
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
      (v128.store offset=0 (i32.add (local.get $c0) (local.get $j)) (local.get $s00))
      (v128.store offset=16 (i32.add (local.get $c0) (local.get $j)) (local.get $s01))
      (v128.store offset=0 (i32.add (local.get $c1) (local.get $j)) (local.get $s10))
      (v128.store offset=16 (i32.add (local.get $c1) (local.get $j)) (local.get $s11))
      (v128.store offset=0 (i32.add (local.get $c2) (local.get $j)) (local.get $s20))
      (v128.store offset=16 (i32.add (local.get $c2) (local.get $j)) (local.get $s21))
      (v128.store offset=0 (i32.add (local.get $c3) (local.get $j)) (local.get $s30))
      (v128.store offset=16 (i32.add (local.get $c3) (local.get $j)) (local.get $s31))
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
      (v128.store (i32.add (local.get $c0) (local.get $j)) (local.get $s00))
      (v128.store (i32.add (local.get $c1) (local.get $j)) (local.get $s10))
      (v128.store (i32.add (local.get $c2) (local.get $j)) (local.get $s20))
      (v128.store (i32.add (local.get $c3) (local.get $j)) (local.get $s30))
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
      ({T}.store (i32.add (local.get $c0) (local.get $j)) (local.get $u0))
      ({T}.store (i32.add (local.get $c1) (local.get $j)) (local.get $u1))
      ({T}.store (i32.add (local.get $c2) (local.get $j)) (local.get $u2))
      ({T}.store (i32.add (local.get $c3) (local.get $j)) (local.get $u3))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overT)))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $overI))))

;; atbAdd: C[r, j] += Σ_i A[i, r]·B[i, j].
;;
;; Tile: 2 rows of C × 4 vectors of columns, 8 accumulators held in registers while the rows i of
;; a block pass: per i, 2 splat loads of A[i, r..r+1] and 4 vector loads of B[i, j..], each from one
;; pointer at constant offsets (no address arithmetic), feed 8 vector multiply-adds; C is loaded,
;; added to and stored once per tile and block. 2 + 4 + 8 + a product = 15 live vectors (see ab).
;;
;; Row blocks: the rows of A and B are taken IB = 32 at a time (the literal 32 below), so a column
;; tile of B (32 rows × 64 bytes) stays in L1 while every pair of rows of C passes over it, the
;; block's rows of B are read from memory once, and a tile touches few pages. Each element of C
;; gets C + (Σ over the block's rows in order), block after block, whichever tile covers it.
;;
;; Tails: single vectors, then scalar columns (fewer than a vector); odd k leaves one row of C.
;;
;; Column range: only the first n columns of B and C are read and written, while their rows are
;; ld elements apart (ld = n for whole matrices; a thread passes B and C offset to its first
;; column, its column count as n, and the full row length as ld).
(func $atbAdd_{T} (export "atbAdd_{T}")
  (param $A i32) (param $B i32) (param $C i32) (param $m i32) (param $k i32) (param $n i32) (param $ld i32)
  (local $rowA i32) (local $rowB i32) (local $colEnd i32) (local $i0 i32) (local $rows i32)
  (local $wBlock i32) (local $bBlock i32) (local $wSpan i32) (local $j i32) (local $r i32)
  (local $pw i32) (local $pb i32) (local $pc i32) (local $wEnd i32)
  (local $w0 v128) (local $w1 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
  (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
  (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
  (local $x {T}) (local $u0 {T}) (local $u1 {T})
  (local.set $rowA (i32.mul (local.get $k) (i32.const {S})))
  (local.set $rowB (i32.mul (local.get $ld) (i32.const {S})))      ;; row stride of B and C
  (local.set $colEnd (i32.mul (local.get $n) (i32.const {S})))     ;; bytes of each row to update
  (block $doneBlock (loop $overBlock
    (br_if $doneBlock (i32.ge_u (local.get $i0) (local.get $m)))
    (local.set $rows (i32.sub (local.get $m) (local.get $i0)))
    (if (i32.gt_u (local.get $rows) (i32.const 32)) (then (local.set $rows (i32.const 32))))
    (local.set $wBlock (i32.add (local.get $A) (i32.mul (local.get $i0) (local.get $rowA))))
    (local.set $bBlock (i32.add (local.get $B) (i32.mul (local.get $i0) (local.get $rowB))))
    (local.set $wSpan (i32.mul (local.get $rows) (local.get $rowA)))
    (local.set $j (i32.const 0))
    ;; whole 4-vector tiles
    (block $doneJ (loop $overJ
      (br_if $doneJ (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $colEnd)))
      (local.set $r (i32.const 0))
      (local.set $pc (i32.add (local.get $C) (local.get $j)))   ;; &C[r, j]
      (block $doneR (loop $overR
        (br_if $doneR (i32.gt_u (i32.add (local.get $r) (i32.const {S2})) (local.get $rowA)))
          (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0)) (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0)) (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0)) (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $w0 ({SPLAT} offset=0 (local.get $pw)))
            (local.set $w1 ({SPLAT} offset={S} (local.get $pw)))
            (local.set $y0 (v128.load offset=0 (local.get $pb)))
            (local.set $y1 (v128.load offset=16 (local.get $pb)))
            (local.set $y2 (v128.load offset=32 (local.get $pb)))
            (local.set $y3 (v128.load offset=48 (local.get $pb)))
            (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0)))) (local.set $s10 ({V}.add (local.get $s10) ({V}.mul (local.get $w1) (local.get $y0))))
            (local.set $s01 ({V}.add (local.get $s01) ({V}.mul (local.get $w0) (local.get $y1)))) (local.set $s11 ({V}.add (local.get $s11) ({V}.mul (local.get $w1) (local.get $y1))))
            (local.set $s02 ({V}.add (local.get $s02) ({V}.mul (local.get $w0) (local.get $y2)))) (local.set $s12 ({V}.add (local.get $s12) ({V}.mul (local.get $w1) (local.get $y2))))
            (local.set $s03 ({V}.add (local.get $s03) ({V}.mul (local.get $w0) (local.get $y3)))) (local.set $s13 ({V}.add (local.get $s13) ({V}.mul (local.get $w1) (local.get $y3))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          (v128.store offset=0 (local.get $pc) ({V}.add (v128.load offset=0 (local.get $pc)) (local.get $s00)))
          (v128.store offset=16 (local.get $pc) ({V}.add (v128.load offset=16 (local.get $pc)) (local.get $s01)))
          (v128.store offset=32 (local.get $pc) ({V}.add (v128.load offset=32 (local.get $pc)) (local.get $s02)))
          (v128.store offset=48 (local.get $pc) ({V}.add (v128.load offset=48 (local.get $pc)) (local.get $s03)))
          (v128.store offset=0 (i32.add (local.get $pc) (local.get $rowB)) ({V}.add (v128.load offset=0 (i32.add (local.get $pc) (local.get $rowB))) (local.get $s10)))
          (v128.store offset=16 (i32.add (local.get $pc) (local.get $rowB)) ({V}.add (v128.load offset=16 (i32.add (local.get $pc) (local.get $rowB))) (local.get $s11)))
          (v128.store offset=32 (i32.add (local.get $pc) (local.get $rowB)) ({V}.add (v128.load offset=32 (i32.add (local.get $pc) (local.get $rowB))) (local.get $s12)))
          (v128.store offset=48 (i32.add (local.get $pc) (local.get $rowB)) ({V}.add (v128.load offset=48 (i32.add (local.get $pc) (local.get $rowB))) (local.get $s13)))
        (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1))))
        (local.set $r (i32.add (local.get $r) (i32.const {S2})))
        (br $overR)))
      (if (i32.lt_u (local.get $r) (local.get $rowA)) (then
          (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0)) (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $w0 ({SPLAT} offset=0 (local.get $pw)))
            (local.set $y0 (v128.load offset=0 (local.get $pb)))
            (local.set $y1 (v128.load offset=16 (local.get $pb)))
            (local.set $y2 (v128.load offset=32 (local.get $pb)))
            (local.set $y3 (v128.load offset=48 (local.get $pb)))
            (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0))))
            (local.set $s01 ({V}.add (local.get $s01) ({V}.mul (local.get $w0) (local.get $y1))))
            (local.set $s02 ({V}.add (local.get $s02) ({V}.mul (local.get $w0) (local.get $y2))))
            (local.set $s03 ({V}.add (local.get $s03) ({V}.mul (local.get $w0) (local.get $y3))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          (v128.store offset=0 (local.get $pc) ({V}.add (v128.load offset=0 (local.get $pc)) (local.get $s00)))
          (v128.store offset=16 (local.get $pc) ({V}.add (v128.load offset=16 (local.get $pc)) (local.get $s01)))
          (v128.store offset=32 (local.get $pc) ({V}.add (v128.load offset=32 (local.get $pc)) (local.get $s02)))
          (v128.store offset=48 (local.get $pc) ({V}.add (v128.load offset=48 (local.get $pc)) (local.get $s03)))))
      (local.set $j (i32.add (local.get $j) (i32.const 64)))
      (br $overJ)))
    ;; single vectors
    (block $doneV (loop $overV
      (br_if $doneV (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $colEnd)))
      (local.set $r (i32.const 0))
      (local.set $pc (i32.add (local.get $C) (local.get $j)))   ;; &C[r, j]
      (block $doneR (loop $overR
        (br_if $doneR (i32.gt_u (i32.add (local.get $r) (i32.const {S2})) (local.get $rowA)))
          (local.set $s00 (v128.const i64x2 0 0)) (local.set $s10 (v128.const i64x2 0 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $w0 ({SPLAT} offset=0 (local.get $pw)))
            (local.set $w1 ({SPLAT} offset={S} (local.get $pw)))
            (local.set $y0 (v128.load offset=0 (local.get $pb)))
            (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0)))) (local.set $s10 ({V}.add (local.get $s10) ({V}.mul (local.get $w1) (local.get $y0))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          (v128.store offset=0 (local.get $pc) ({V}.add (v128.load offset=0 (local.get $pc)) (local.get $s00)))
          (v128.store offset=0 (i32.add (local.get $pc) (local.get $rowB)) ({V}.add (v128.load offset=0 (i32.add (local.get $pc) (local.get $rowB))) (local.get $s10)))
        (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1))))
        (local.set $r (i32.add (local.get $r) (i32.const {S2})))
        (br $overR)))
      (if (i32.lt_u (local.get $r) (local.get $rowA)) (then
          (local.set $s00 (v128.const i64x2 0 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $w0 ({SPLAT} offset=0 (local.get $pw)))
            (local.set $y0 (v128.load offset=0 (local.get $pb)))
            (local.set $s00 ({V}.add (local.get $s00) ({V}.mul (local.get $w0) (local.get $y0))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          (v128.store offset=0 (local.get $pc) ({V}.add (v128.load offset=0 (local.get $pc)) (local.get $s00)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $overV)))
    ;; the last columns (fewer than a vector), one at a time
    (block $doneT (loop $overT
      (br_if $doneT (i32.ge_u (local.get $j) (local.get $colEnd)))
      (local.set $r (i32.const 0))
      (local.set $pc (i32.add (local.get $C) (local.get $j)))   ;; &C[r, j]
      (block $doneR (loop $overR
        (br_if $doneR (i32.gt_u (i32.add (local.get $r) (i32.const {S2})) (local.get $rowA)))
          (local.set $u0 ({T}.const 0)) (local.set $u1 ({T}.const 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $x ({T}.load (local.get $pb)))
            (local.set $u0 ({T}.add (local.get $u0) ({T}.mul ({T}.load offset=0 (local.get $pw)) (local.get $x))))
            (local.set $u1 ({T}.add (local.get $u1) ({T}.mul ({T}.load offset={S} (local.get $pw)) (local.get $x))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          ({T}.store (local.get $pc) ({T}.add ({T}.load (local.get $pc)) (local.get $u0)))
          ({T}.store (i32.add (local.get $pc) (local.get $rowB)) ({T}.add ({T}.load (i32.add (local.get $pc) (local.get $rowB))) (local.get $u1)))
        (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1))))
        (local.set $r (i32.add (local.get $r) (i32.const {S2})))
        (br $overR)))
      (if (i32.lt_u (local.get $r) (local.get $rowA)) (then
          (local.set $u0 ({T}.const 0))
          (local.set $pw (i32.add (local.get $wBlock) (local.get $r)))    ;; &A[i, r]
          (local.set $pb (i32.add (local.get $bBlock) (local.get $j)))    ;; &B[i, j]
          (local.set $wEnd (i32.add (local.get $pw) (local.get $wSpan)))
          (block $doneI (loop $overI
            (br_if $doneI (i32.ge_u (local.get $pw) (local.get $wEnd)))
            (local.set $x ({T}.load (local.get $pb)))
            (local.set $u0 ({T}.add (local.get $u0) ({T}.mul ({T}.load offset=0 (local.get $pw)) (local.get $x))))
            (local.set $pw (i32.add (local.get $pw) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $overI)))
          ({T}.store (local.get $pc) ({T}.add ({T}.load (local.get $pc)) (local.get $u0)))))
      (local.set $j (i32.add (local.get $j) (i32.const {S})))
      (br $overT)))
    (local.set $i0 (i32.add (local.get $i0) (i32.const 32)))
    (br $overBlock))))

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
