;; Horizontal sums of a vector's lanes, as float64, for the kernels written once for both float types.

(func $lanesSum_f64 (param $v v128) (result f64)
  (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

;; float32 lanes are summed in float32, ((0 + 1) + (2 + 3)), then widened.
(func $lanesSum_f32 (param $v v128) (result f64)
  (f64.promote_f32 (f32.add
    (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
    (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v))))))

;; The first `bytes` (8: one lane) of a float64 vector stored at addr.
(func $storeLanes_f64 (param $addr i32) (param $v v128) (param $bytes i32)
  (v128.store64_lane 0 (local.get $addr) (local.get $v)))

;; The first `bytes` (4, 8 or 12: one to three lanes) of a float32 vector stored at addr.
(func $storeLanes_f32 (param $addr i32) (param $v v128) (param $bytes i32)
  (if (i32.ge_u (local.get $bytes) (i32.const 8))
    (then (v128.store64_lane 0 (local.get $addr) (local.get $v)))
    (else (v128.store32_lane 0 (local.get $addr) (local.get $v))))
  (if (i32.eq (local.get $bytes) (i32.const 12))
    (then (v128.store32_lane offset=8 2 (local.get $addr) (local.get $v)))))

;; The lanes of an accumulator plus a tail: one finished dot product of gemm.wat's abt.
(func $hsumAdd_f64 (param $s v128) (param $tail f64) (result f64)
  (f64.add
    (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s)))
    (local.get $tail)))

(func $hsumAdd_f32 (param $s v128) (param $tail f32) (result f32)
  (f32.add
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
      (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s))))
    (local.get $tail)))
