/** The colormaps for one-channel images: matplotlib's `gray`, `gray_r` and `viridis`. */
export type ColormapName = 'gray' | 'gray_r' | 'viridis';

// matplotlib's viridis at 9 evenly spaced points, interpolated linearly in between.
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The RGB colour of `t` in [0, 1] under a colormap. */
export function colormap(name: ColormapName, t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t));
  if (name === 'gray' || name === 'gray_r') {
    const g = Math.round(255 * (name === 'gray' ? v : 1 - v));
    return [g, g, g];
  }
  const x = v * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(VIRIDIS[i][c] + f * (VIRIDIS[i + 1][c] - VIRIDIS[i][c]))) as [
    number,
    number,
    number,
  ];
}
