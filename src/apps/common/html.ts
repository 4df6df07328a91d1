// The pieces every app's self-contained HTML report shares: escaping, inlined PNGs, and one page
// head with the common style sheet.

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A PNG file's bytes as a data: URI, so the report needs no image files next to it. */
export function pngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

const BASE_CSS = `body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f4f4f4; }
img { max-width: 100%; }`;

/**
 * The start of a report page up to `</head>`: doctype, charset, title ("nabla TITLE", escaped)
 * and the shared style sheet followed by the report's own rules.
 *
 * @example
 * ```ts
 * const html = `${reportHead('dcgan on digits', 'img { image-rendering: pixelated; }')}
 * <body><h1>...</h1></body></html>`;
 * ```
 */
export function reportHead(title: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>nabla ${escapeHtml(title)}</title>
<style>
${BASE_CSS}${extraCss ? `\n${extraCss.trim()}` : ''}
</style>
</head>`;
}
