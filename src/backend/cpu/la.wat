;; Factorizations of tall thin float64 matrices for the randomized SVD of the nndsvd start
;; (src/init/dense-la.ts), column-major so every inner loop runs down a contiguous column:
;;
;;   luColumns      in-place LU with partial pivoting (LAPACK getf2's pivots: the first largest
;;                  |a|; a zero pivot column is left unscaled): L below the diagonal (unit diagonal
;;                  implied), U on and above; perm[i] = the original row now at row i
;;   householder    in-place Householder QR (LINPACK/JAMA reflectors, R's diagonal into rdiag)
;;   householderQ   the thin Q (rows × cols) from householder's reflectors
;;
;; A column-major m × c matrix holds column t at A + t·m·8. Dot products and updates run two rows
;; per f64x2 (an odd last row alone).

;; Σ a[i]·b[i], i < n, in two lanes added at the end.
(func $dotColumns (param $a i32) (param $b i32) (param $n i32) (result f64)
  (local $i i32) (local $end i32) (local $acc v128) (local $s f64)
  (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (local.set $acc (f64x2.add (local.get $acc)
      (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $over)))
  (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
  (if (i32.and (local.get $n) (i32.const 1)) (then
    (local.set $s (f64.add (local.get $s)
      (f64.mul (f64.load (i32.add (local.get $a) (local.get $end))) (f64.load (i32.add (local.get $b) (local.get $end))))))))
  (local.get $s))

;; b[i] += s·a[i], i < n.
(func $axpyColumns (param $s f64) (param $a i32) (param $b i32) (param $n i32)
  (local $i i32) (local $end i32) (local $v v128)
  (local.set $v (f64x2.splat (local.get $s)))
  (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (v128.store (i32.add (local.get $b) (local.get $i))
      (f64x2.add (v128.load (i32.add (local.get $b) (local.get $i)))
        (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $a) (local.get $i))))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $over)))
  (if (i32.and (local.get $n) (i32.const 1)) (then
    (f64.store (i32.add (local.get $b) (local.get $end))
      (f64.add (f64.load (i32.add (local.get $b) (local.get $end)))
        (f64.mul (local.get $s) (f64.load (i32.add (local.get $a) (local.get $end)))))))))

(func (export "luColumns") (param $A i32) (param $perm i32) (param $rows i32) (param $cols i32)
  (local $K i32) (local $j i32) (local $i i32) (local $p i32) (local $t i32) (local $colBytes i32)
  (local $cj i32) (local $ct i32) (local $best f64) (local $v f64) (local $pivot f64) (local $u f64) (local $swap i32)
  (local.set $colBytes (i32.shl (local.get $rows) (i32.const 3)))
  (local.set $K (select (local.get $rows) (local.get $cols) (i32.lt_u (local.get $rows) (local.get $cols))))
  (block $done (loop $overI
    (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
    (i32.store (i32.add (local.get $perm) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $overI)))
  (block $doneJ (loop $overJ
    (br_if $doneJ (i32.ge_u (local.get $j) (local.get $K)))
    (local.set $cj (i32.add (local.get $A) (i32.mul (local.get $j) (local.get $colBytes))))
    ;; the pivot: the first largest |a[i, j]|, i ≥ j
    (local.set $p (local.get $j))
    (local.set $best (f64.abs (f64.load (i32.add (local.get $cj) (i32.shl (local.get $j) (i32.const 3))))))
    (local.set $i (i32.add (local.get $j) (i32.const 1)))
    (block $doneP (loop $overP
      (br_if $doneP (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $v (f64.abs (f64.load (i32.add (local.get $cj) (i32.shl (local.get $i) (i32.const 3))))))
      (if (f64.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v)) (local.set $p (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $overP)))
    (if (i32.ne (local.get $p) (local.get $j)) (then
      (local.set $t (i32.const 0))
      (block $doneS (loop $overS
        (br_if $doneS (i32.ge_u (local.get $t) (local.get $cols)))
        (local.set $ct (i32.add (local.get $A) (i32.mul (local.get $t) (local.get $colBytes))))
        (local.set $v (f64.load (i32.add (local.get $ct) (i32.shl (local.get $p) (i32.const 3)))))
        (f64.store (i32.add (local.get $ct) (i32.shl (local.get $p) (i32.const 3)))
          (f64.load (i32.add (local.get $ct) (i32.shl (local.get $j) (i32.const 3)))))
        (f64.store (i32.add (local.get $ct) (i32.shl (local.get $j) (i32.const 3))) (local.get $v))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $overS)))
      (local.set $swap (i32.load (i32.add (local.get $perm) (i32.shl (local.get $p) (i32.const 2)))))
      (i32.store (i32.add (local.get $perm) (i32.shl (local.get $p) (i32.const 2)))
        (i32.load (i32.add (local.get $perm) (i32.shl (local.get $j) (i32.const 2)))))
      (i32.store (i32.add (local.get $perm) (i32.shl (local.get $j) (i32.const 2))) (local.get $swap))))
    (local.set $pivot (f64.load (i32.add (local.get $cj) (i32.shl (local.get $j) (i32.const 3)))))
    (if (f64.ne (local.get $pivot) (f64.const 0)) (then
      ;; L's column: a[i, j] / pivot below the diagonal
      (local.set $i (i32.add (local.get $j) (i32.const 1)))
      (block $doneL (loop $overL
        (br_if $doneL (i32.ge_u (local.get $i) (local.get $rows)))
        (f64.store (i32.add (local.get $cj) (i32.shl (local.get $i) (i32.const 3)))
          (f64.div (f64.load (i32.add (local.get $cj) (i32.shl (local.get $i) (i32.const 3)))) (local.get $pivot)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $overL)))
      ;; the trailing columns: a[i, t] −= l[i]·u[j, t] below row j
      (local.set $t (i32.add (local.get $j) (i32.const 1)))
      (block $doneT (loop $overT
        (br_if $doneT (i32.ge_u (local.get $t) (local.get $cols)))
        (local.set $ct (i32.add (local.get $A) (i32.mul (local.get $t) (local.get $colBytes))))
        (local.set $u (f64.load (i32.add (local.get $ct) (i32.shl (local.get $j) (i32.const 3)))))
        (if (f64.ne (local.get $u) (f64.const 0)) (then
          (call $axpyColumns (f64.neg (local.get $u))
            (i32.add (local.get $cj) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))
            (i32.add (local.get $ct) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))
            (i32.sub (local.get $rows) (i32.add (local.get $j) (i32.const 1))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $overT)))))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $overJ))))

(func (export "householder") (param $A i32) (param $rdiag i32) (param $rows i32) (param $cols i32)
  (local $k i32) (local $j i32) (local $colBytes i32) (local $ck i32) (local $cj i32) (local $len i32)
  (local $nrm f64) (local $s f64) (local $head i32)
  (local.set $colBytes (i32.shl (local.get $rows) (i32.const 3)))
  (block $doneK (loop $overK
    (br_if $doneK (i32.ge_u (local.get $k) (local.get $cols)))
    (local.set $ck (i32.add (local.get $A) (i32.mul (local.get $k) (local.get $colBytes))))
    (local.set $head (i32.add (local.get $ck) (i32.shl (local.get $k) (i32.const 3))))   ;; &a[k, k]
    (local.set $len (i32.sub (local.get $rows) (local.get $k)))
    (local.set $nrm (f64.sqrt (call $dotColumns (local.get $head) (local.get $head) (local.get $len))))
    (if (f64.ne (local.get $nrm) (f64.const 0)) (then
      (if (f64.lt (f64.load (local.get $head)) (f64.const 0)) (then (local.set $nrm (f64.neg (local.get $nrm)))))
      (call $scaleColumn (local.get $head) (local.get $len) (local.get $nrm))
      (f64.store (local.get $head) (f64.add (f64.load (local.get $head)) (f64.const 1)))
      (local.set $j (i32.add (local.get $k) (i32.const 1)))
      (block $doneJ (loop $overJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $cj (i32.add (i32.add (local.get $A) (i32.mul (local.get $j) (local.get $colBytes))) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $s (f64.div (f64.neg (call $dotColumns (local.get $head) (local.get $cj) (local.get $len))) (f64.load (local.get $head))))
        (call $axpyColumns (local.get $s) (local.get $head) (local.get $cj) (local.get $len))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $overJ)))))
    (f64.store (i32.add (local.get $rdiag) (i32.shl (local.get $k) (i32.const 3))) (f64.neg (local.get $nrm)))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $overK))))

;; a[i] /= d, i < n.
(func $scaleColumn (param $a i32) (param $n i32) (param $d f64)
  (local $i i32) (local $end i32)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $over
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (f64.store (i32.add (local.get $a) (local.get $i)) (f64.div (f64.load (i32.add (local.get $a) (local.get $i))) (local.get $d)))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $over))))

(func (export "householderQ") (param $QR i32) (param $Q i32) (param $rows i32) (param $cols i32)
  (local $k i32) (local $j i32) (local $colBytes i32) (local $head i32) (local $qj i32) (local $len i32) (local $s f64)
  (local.set $colBytes (i32.shl (local.get $rows) (i32.const 3)))
  (local.set $k (local.get $cols))
  (block $doneK (loop $overK
    (br_if $doneK (i32.eqz (local.get $k)))
    (local.set $k (i32.sub (local.get $k) (i32.const 1)))
    (local.set $head (i32.add (i32.add (local.get $QR) (i32.mul (local.get $k) (local.get $colBytes))) (i32.shl (local.get $k) (i32.const 3))))
    (local.set $len (i32.sub (local.get $rows) (local.get $k)))
    (f64.store (i32.add (i32.add (local.get $Q) (i32.mul (local.get $k) (local.get $colBytes))) (i32.shl (local.get $k) (i32.const 3))) (f64.const 1))
    (if (f64.ne (f64.load (local.get $head)) (f64.const 0)) (then
      (local.set $j (local.get $k))
      (block $doneJ (loop $overJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $qj (i32.add (i32.add (local.get $Q) (i32.mul (local.get $j) (local.get $colBytes))) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $s (f64.div (f64.neg (call $dotColumns (local.get $head) (local.get $qj) (local.get $len))) (f64.load (local.get $head))))
        (call $axpyColumns (local.get $s) (local.get $head) (local.get $qj) (local.get $len))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $overJ)))))
    (br $overK))))

;; scipy's permute_l result from luColumns' output: out (rows × K, row-major, zero-filled) gets
;; PL[perm[i], t] = L[i, t]: the column-major a below the diagonal, 1 on it (t < K = min(rows, cols)).
(func (export "permutedL") (param $a i32) (param $perm i32) (param $out i32) (param $rows i32) (param $K i32)
  (local $i i32) (local $t i32) (local $o i32) (local $end i32)
  (block $doneI (loop $overI
    (br_if $doneI (i32.ge_u (local.get $i) (local.get $rows)))
    (local.set $o (i32.add (local.get $out) (i32.shl
      (i32.mul (i32.load (i32.add (local.get $perm) (i32.shl (local.get $i) (i32.const 2)))) (local.get $K)) (i32.const 3))))
    (local.set $end (select (local.get $i) (local.get $K) (i32.lt_u (local.get $i) (local.get $K))))
    (local.set $t (i32.const 0))
    (block $doneT (loop $overT
      (br_if $doneT (i32.ge_u (local.get $t) (local.get $end)))
      (f64.store (i32.add (local.get $o) (i32.shl (local.get $t) (i32.const 3)))
        (f64.load (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $rows)) (local.get $i)) (i32.const 3)))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $overT)))
    (if (i32.lt_u (local.get $i) (local.get $K)) (then
      (f64.store (i32.add (local.get $o) (i32.shl (local.get $i) (i32.const 3))) (f64.const 1))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $overI))))
