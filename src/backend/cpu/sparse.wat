;; Products with a compressed sparse X (CSR rows, or CSC columns: the same arrays read the other
;; way), written once for both float types: scripts/build-wasm.mjs emits this part for f64 (f64x2)
;; and for f32 (f32x4), replacing {T} (f64|f32), {V} (f64x2|f32x4), {S} (bytes per element, 8|4),
;; {SPLAT} (v128.load64_splat|v128.load32_splat). indptr and indices are i32.
;;
;;   spmm_{T}   C[r, :] = Σ_p data[p]·B[indices[p], :], p over the entries of compressed row r
;;              CSR X: X·Hᵀ with Hᵀ (n×k) as B, X·Q; CSC X: Xᵀ·W (= (Wᵀ·X)ᵀ), Xᵀ·Q
;;   gather_{T} out[q] = src[perm[q]]   (values in CSR order → CSC order)
;;
;; B is row-major with c columns (a nonzero reads c contiguous values), C is rows × c. Each output
;; element is summed over p in order, one multiply and one add per term (scipy's csr_matvecs order),
;; whichever pass computes it, so results do not depend on how a caller cuts the rows.
;; A caller (threads) passes indptr offset to its first row and fewer rows; C offset likewise.

;; Register blocking: a row's columns are done in passes of up to 10 vectors (20 doubles, 40
;; floats) whose sums stay in v128 locals over the row's nonzeros; the last vector of a row may be
;; partial: it is computed whole (the extra lanes read past the row, inside the workspace, and are
;; thrown away) and stored lane by lane. A pass with fewer vectors enters the unrolled step part way
;; (br_table), so one loop serves every width.
(func $spmm_{T} (export "spmm_{T}")
  (param $indptr i32) (param $indices i32) (param $data i32) (param $B i32) (param $C i32) (param $rows i32) (param $c i32)
  (local $rowB i32) (local $r i32) (local $p0 i32) (local $p1 i32) (local $col i32) (local $out i32) (local $nv i32) (local $left i32)
  (local.set $rowB (i32.mul (local.get $c) (i32.const {S})))
  (block $doneR (loop $overR
    (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $p0 (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $p1 (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $out (i32.add (local.get $C) (i32.mul (local.get $r) (local.get $rowB))))
    (local.set $col (i32.const 0))
    (block $doneC (loop $overC
      (br_if $doneC (i32.ge_u (local.get $col) (local.get $rowB)))
      (local.set $left (i32.sub (local.get $rowB) (local.get $col)))
      (local.set $nv (i32.shr_u (i32.add (local.get $left) (i32.const 15)) (i32.const 4)))
      (if (i32.gt_u (local.get $nv) (i32.const 10)) (then (local.set $nv (i32.const 10))))
      (call $spmmPass_{T} (local.get $p0) (local.get $p1) (local.get $indices) (local.get $data)
        (i32.add (local.get $B) (local.get $col)) (local.get $rowB) (i32.add (local.get $out) (local.get $col))
        (local.get $nv) (local.get $left))
      (local.set $col (i32.add (local.get $col) (i32.shl (local.get $nv) (i32.const 4))))
      (br $overC)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $overR))))

;; One pass: nv vectors (1 … 10) of a row of C, Σ_p x_p·B[j_p, pass] over entries p … p1; `left`
;; bytes of the row remain from the pass's start (the last vector is partial when left < 16·nv).
;; Two entries per step (s + x_p·b_p) + x_p+1·b_p+1 — the same additions in the same order as one at a
;; time — halve the loop's overhead; an odd last entry alone.
(func $spmmPass_{T}
  (param $p i32) (param $p1 i32) (param $indices i32) (param $data i32) (param $B i32) (param $rowB i32)
  (param $out i32) (param $nv i32) (param $left i32)
  (local $b i32) (local $c i32) (local $x v128) (local $y v128) (local $skip i32) (local $skipStore i32) (local $last i32) (local $v v128)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128) (local $s8 v128) (local $s9 v128)
  (local.set $skip (i32.sub (i32.const 10) (local.get $nv)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $p1)))
    (local.set $x ({SPLAT} (i32.add (local.get $data) (i32.mul (local.get $p) (i32.const {S})))))
    (local.set $y ({SPLAT} offset={S} (i32.add (local.get $data) (i32.mul (local.get $p) (i32.const {S})))))
    (local.set $b (i32.add (local.get $B)
      (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowB))))
    (local.set $c (i32.add (local.get $B)
      (i32.mul (i32.load offset=4 (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowB))))
    (block $v0 (block $v1 (block $v2 (block $v3 (block $v4 (block $v5 (block $v6 (block $v7 (block $v8 (block $v9
        (br_table $v9 $v8 $v7 $v6 $v5 $v4 $v3 $v2 $v1 $v0 (local.get $skip)))
      (local.set $s9 ({V}.add ({V}.add (local.get $s9) ({V}.mul (local.get $x) (v128.load offset=144 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=144 (local.get $c))))))
      (local.set $s8 ({V}.add ({V}.add (local.get $s8) ({V}.mul (local.get $x) (v128.load offset=128 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=128 (local.get $c))))))
      (local.set $s7 ({V}.add ({V}.add (local.get $s7) ({V}.mul (local.get $x) (v128.load offset=112 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=112 (local.get $c))))))
      (local.set $s6 ({V}.add ({V}.add (local.get $s6) ({V}.mul (local.get $x) (v128.load offset=96 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=96 (local.get $c))))))
      (local.set $s5 ({V}.add ({V}.add (local.get $s5) ({V}.mul (local.get $x) (v128.load offset=80 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=80 (local.get $c))))))
      (local.set $s4 ({V}.add ({V}.add (local.get $s4) ({V}.mul (local.get $x) (v128.load offset=64 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=64 (local.get $c))))))
      (local.set $s3 ({V}.add ({V}.add (local.get $s3) ({V}.mul (local.get $x) (v128.load offset=48 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=48 (local.get $c))))))
      (local.set $s2 ({V}.add ({V}.add (local.get $s2) ({V}.mul (local.get $x) (v128.load offset=32 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=32 (local.get $c))))))
      (local.set $s1 ({V}.add ({V}.add (local.get $s1) ({V}.mul (local.get $x) (v128.load offset=16 (local.get $b))))
          ({V}.mul (local.get $y) (v128.load offset=16 (local.get $c))))))
      (local.set $s0 ({V}.add ({V}.add (local.get $s0) ({V}.mul (local.get $x) (v128.load (local.get $b))))
          ({V}.mul (local.get $y) (v128.load (local.get $c)))))
    (local.set $p (i32.add (local.get $p) (i32.const 2)))
    (br $over)))
  (if (i32.lt_u (local.get $p) (local.get $p1)) (then
    (local.set $x ({SPLAT} (i32.add (local.get $data) (i32.mul (local.get $p) (i32.const {S})))))
    (local.set $b (i32.add (local.get $B)
      (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rowB))))
    (block $u0 (block $u1 (block $u2 (block $u3 (block $u4 (block $u5 (block $u6 (block $u7 (block $u8 (block $u9
        (br_table $u9 $u8 $u7 $u6 $u5 $u4 $u3 $u2 $u1 $u0 (local.get $skip)))
      (local.set $s9 ({V}.add (local.get $s9) ({V}.mul (local.get $x) (v128.load offset=144 (local.get $b))))))
      (local.set $s8 ({V}.add (local.get $s8) ({V}.mul (local.get $x) (v128.load offset=128 (local.get $b))))))
      (local.set $s7 ({V}.add (local.get $s7) ({V}.mul (local.get $x) (v128.load offset=112 (local.get $b))))))
      (local.set $s6 ({V}.add (local.get $s6) ({V}.mul (local.get $x) (v128.load offset=96 (local.get $b))))))
      (local.set $s5 ({V}.add (local.get $s5) ({V}.mul (local.get $x) (v128.load offset=80 (local.get $b))))))
      (local.set $s4 ({V}.add (local.get $s4) ({V}.mul (local.get $x) (v128.load offset=64 (local.get $b))))))
      (local.set $s3 ({V}.add (local.get $s3) ({V}.mul (local.get $x) (v128.load offset=48 (local.get $b))))))
      (local.set $s2 ({V}.add (local.get $s2) ({V}.mul (local.get $x) (v128.load offset=32 (local.get $b))))))
      (local.set $s1 ({V}.add (local.get $s1) ({V}.mul (local.get $x) (v128.load offset=16 (local.get $b))))))
      (local.set $s0 ({V}.add (local.get $s0) ({V}.mul (local.get $x) (v128.load (local.get $b)))))))
  ;; whole vectors, then a partial last one lane by lane
  (local.set $last (i32.sub (local.get $nv) (i32.const 1)))
  (local.set $skipStore (local.get $skip))
  (if (i32.lt_u (local.get $left) (i32.shl (local.get $nv) (i32.const 4))) (then
    (local.set $skipStore (i32.add (local.get $skip) (i32.const 1)))))
  (if (i32.lt_u (local.get $skipStore) (i32.const 10)) (then
  (block $w0 (block $w1 (block $w2 (block $w3 (block $w4 (block $w5 (block $w6 (block $w7 (block $w8 (block $w9
    (br_table $w9 $w8 $w7 $w6 $w5 $w4 $w3 $w2 $w1 $w0 (local.get $skipStore)))
    (v128.store offset=144 (local.get $out) (local.get $s9)))
    (v128.store offset=128 (local.get $out) (local.get $s8)))
    (v128.store offset=112 (local.get $out) (local.get $s7)))
    (v128.store offset=96 (local.get $out) (local.get $s6)))
    (v128.store offset=80 (local.get $out) (local.get $s5)))
    (v128.store offset=64 (local.get $out) (local.get $s4)))
    (v128.store offset=48 (local.get $out) (local.get $s3)))
    (v128.store offset=32 (local.get $out) (local.get $s2)))
    (v128.store offset=16 (local.get $out) (local.get $s1)))
  (v128.store (local.get $out) (local.get $s0))))
  (if (i32.ne (local.get $skipStore) (local.get $skip)) (then
    (if (i32.eq (local.get $last) (i32.const 0)) (then (local.set $v (local.get $s0))))
    (if (i32.eq (local.get $last) (i32.const 1)) (then (local.set $v (local.get $s1))))
    (if (i32.eq (local.get $last) (i32.const 2)) (then (local.set $v (local.get $s2))))
    (if (i32.eq (local.get $last) (i32.const 3)) (then (local.set $v (local.get $s3))))
    (if (i32.eq (local.get $last) (i32.const 4)) (then (local.set $v (local.get $s4))))
    (if (i32.eq (local.get $last) (i32.const 5)) (then (local.set $v (local.get $s5))))
    (if (i32.eq (local.get $last) (i32.const 6)) (then (local.set $v (local.get $s6))))
    (if (i32.eq (local.get $last) (i32.const 7)) (then (local.set $v (local.get $s7))))
    (if (i32.eq (local.get $last) (i32.const 8)) (then (local.set $v (local.get $s8))))
    (if (i32.eq (local.get $last) (i32.const 9)) (then (local.set $v (local.get $s9))))
    (call $storeLanes_{T} (i32.add (local.get $out) (i32.shl (local.get $last) (i32.const 4))) (local.get $v)
      (i32.sub (local.get $left) (i32.shl (local.get $last) (i32.const 4)))))))

(func (export "gather_{T}") (param $perm i32) (param $src i32) (param $out i32) (param $len i32)
  (local $q i32)
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $q) (local.get $len)))
    ({T}.store (i32.add (local.get $out) (i32.mul (local.get $q) (i32.const {S})))
      ({T}.load (i32.add (local.get $src)
        (i32.mul (i32.load (i32.add (local.get $perm) (i32.shl (local.get $q) (i32.const 2)))) (i32.const {S})))))
    (local.set $q (i32.add (local.get $q) (i32.const 1)))
    (br $over))))
