// a * b + c for four lanes: one fused instruction where the build has relaxed SIMD (it may round
// once or twice, the same way every time on a given machine), a multiply and an add otherwise.

// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
