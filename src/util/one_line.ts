/**
 * `text` made safe for a one-line message: control characters escaped (`\n`, `\u0000`) and any
 * word of more than 300 characters shortened, so a hostile value cannot spread over the terminal.
 */
export function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what it finds
      .replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))
      .replace(/[^\s']{301,}/g, (long) => `${long.slice(0, 40)}... (${long.length} characters)`)
  );
}
