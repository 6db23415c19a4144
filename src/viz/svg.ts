/** The font resvg is given in Node. */
export const FONT_FAMILY = 'DejaVu Sans';
/** What pictures ask for: that font, or a page's own sans-serif where it lacks it. */
export const FONT_STACK = `'${FONT_FAMILY}', sans-serif`;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A generous estimate of the width of `text` in DejaVu Sans (its average advance is under 0.62 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.62;
}

export function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_STACK}">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}
