// SVG to PNG with resvg (WebAssembly, from npm) and the DejaVu fonts that ship in an npm package,
// so every machine draws the same pixels without system fonts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { FONT_FAMILY } from './svg.js';

const require = createRequire(import.meta.url);

let ready: Promise<Uint8Array[]> | null = null;

function fonts(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
      (f) => new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))),
    );
  })();
  return ready;
}

/** How `svgToPng` rasterises: the scale and whether embedded images stay pixel-exact. */
export interface RasterOptions {
  /** Pixels per SVG unit (2 draws a 500-wide chart 1000 pixels wide). */
  scale?: number;
  /** Nearest-neighbour scaling of embedded images, for pixel-exact small images. */
  pixelated?: boolean;
}

/** Renders an SVG document to PNG bytes on a white background. */
export async function svgToPng(svg: string, opts: RasterOptions = {}): Promise<Uint8Array> {
  const fontBuffers = await fonts();
  const resvg = new Resvg(svg, {
    font: { fontBuffers, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: opts.scale ?? 1 },
    background: 'white',
    imageRendering: opts.pixelated ? 1 : 0,
  });
  try {
    return resvg.render().asPng();
  } finally {
    resvg.free();
  }
}
