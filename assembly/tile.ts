// Writing the first `cols` lanes of a row of 8 held in two vectors (a tile's ragged edge).

// @ts-ignore: decorator
@inline export function storePartial(p: usize, lo: v128, hi: v128, cols: i32, accumulate: bool): void {
  for (let j = 0; j < cols; j++) {
    const v = j < 4 ? laneOf(lo, j) : laneOf(hi, j - 4);
    const q = p + ((<usize>j) << 2);
    store<f32>(q, accumulate ? load<f32>(q) + v : v);
  }
}

function laneOf(v: v128, lane: i32): f32 {
  switch (lane) {
    case 0:
      return f32x4.extract_lane(v, 0);
    case 1:
      return f32x4.extract_lane(v, 1);
    case 2:
      return f32x4.extract_lane(v, 2);
    default:
      return f32x4.extract_lane(v, 3);
  }
}

/** Stores the first n of a row of 8 held in two vectors. */
// @ts-ignore: decorator
@inline export function storeTile(p: usize, lo: v128, hi: v128, n: i32): void {
  if (n == 8) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
  } else {
    storePartial(p, lo, hi, n, false);
  }
}
