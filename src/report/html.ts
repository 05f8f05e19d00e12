import type { ReportSection, ReportTable } from './types.js';

/**
 * Escapes text for HTML content and attribute values (`& < > " '`).
 *
 * @example
 * escapeHtml('p < 0.9 & "T"'); // 'p &lt; 0.9 &amp; &quot;T&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NUMERIC = /^[-+]?[\d.,]+(e[-+]?\d+)?%?$|^-?Infinity$|^[-+]?[\d.]+\s?-\s?[\d.]+$|^$|^-$/;

/**
 * A report table as HTML; columns whose cells all look like numbers are right-aligned.
 *
 * @example
 * tableHtml({ header: ['token', 'p'], rows: [['the', '0.4367']] }); // '<table>...<td class="num">0.4367</td>...'
 */
export function tableHtml(table: ReportTable): string {
  const numeric = table.header.map((_, column) => table.rows.length > 0 && table.rows.every((row) => NUMERIC.test((row[column] ?? '').trim())));
  const cell = (tag: 'th' | 'td', text: string, column: number): string => `<${tag}${numeric[column] ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  return [
    '<table>',
    table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '',
    `<thead><tr>${table.header.map((title, column) => cell('th', title, column)).join('')}</tr></thead>`,
    `<tbody>${table.rows.map((row) => `<tr>${table.header.map((_, column) => cell('td', row[column] ?? '', column)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/**
 * Makes the ids of one inline SVG unique in the page (vega numbers its clip paths and
 * gradients from 1 in every figure): every `id="x"` and `url(#x)` / `href="#x"` becomes
 * `prefix-x`. Also labels the SVG for screen readers.
 *
 * @example
 * prepareInlineSvg(svg, 'waterfall', 'Chain waterfall'); // id="clip1" becomes id="waterfall-clip1"
 */
export function prepareInlineSvg(svg: string, prefix: string, label: string): string {
  const ids = new Set<string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(match[1] as string);
  let result = svg;
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result
      .replace(new RegExp(`(\\sid=")${escaped}"`, 'g'), `$1${prefix}-${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${escaped}"`, 'g'), `$1#${prefix}-${id}"`);
  }
  return result.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(label)}" `);
}

/** A figure as it appears in the page: inline SVG (or why it could not be drawn) and links to its files. */
export interface RenderedFigure {
  readonly name: string;
  readonly title: string;
  readonly caption?: string;
  /** The inline SVG, already prepared with `prepareInlineSvg`. */
  readonly svg?: string;
  readonly error?: string;
  /** Links to the figure's files, relative to the page: `[label, href]`. */
  readonly files: readonly (readonly [string, string])[];
}

/** The page's metadata. */
export interface PageInfo {
  readonly title: string;
  readonly subtitle: string;
  /** Relative URLs of the regular and bold DejaVu Sans files (the charts' font). */
  readonly fonts?: { readonly regular: string; readonly bold: string };
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:'DejaVu Sans',Verdana,sans-serif;color:#1d1d1f;background:#f6f6f4;line-height:1.5;font-size:15px}
header,main,footer{max-width:1080px;margin:0 auto;padding:0 24px}
header{padding-top:28px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:21px;margin:0 0 10px;border-bottom:2px solid #4682b4;padding-bottom:4px}
.subtitle{color:#555;margin:0 0 16px}
nav ol{columns:2;margin:0 0 16px;padding-left:22px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:18px 22px;margin:22px 0}
figure.chart{margin:18px 0;text-align:center}
figure.chart .plot{overflow-x:auto}
figure.chart svg{max-width:100%;height:auto}
figcaption{font-size:13px;color:#444;margin-top:6px}
figcaption a{margin-left:8px}
table{border-collapse:collapse;margin:14px 0;font-size:13.5px}
caption{text-align:left;font-weight:bold;margin-bottom:4px}
th,td{padding:3px 10px;border-bottom:1px solid #e2e2e2;text-align:left}
th{border-bottom:2px solid #999}
.num{text-align:right;font-variant-numeric:tabular-nums}
.notes{font-size:13px;color:#555}
pre{background:#f1f1ee;padding:8px 12px;border-radius:4px;overflow-x:auto}
.unavailable,.figure-error{color:#8b0000}
footer{color:#777;font-size:12px;padding-bottom:30px}
`;

/**
 * The whole page: header with contents, one `<section>` per report section. No scripts.
 *
 * @example
 * pageHtml({ title: 'creativity-knobs report', subtitle: '' }, [{ section, figures }]);
 */
export function pageHtml(info: PageInfo, sections: readonly { section: ReportSection; figures: readonly RenderedFigure[] }[]): string {
  const fontFaces = info.fonts
    ? `@font-face{font-family:'DejaVu Sans';font-weight:normal;src:url('${info.fonts.regular}') format('truetype')}\n@font-face{font-family:'DejaVu Sans';font-weight:bold;src:url('${info.fonts.bold}') format('truetype')}\n`
    : '';
  const contents = sections.map(({ section }) => `<li><a href="#${escapeHtml(section.id)}">${escapeHtml(section.title)}</a></li>`).join('\n');
  const body = sections.map(({ section, figures }) => sectionHtml(section, figures)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>
${fontFaces}${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(info.title)}</h1>
<p class="subtitle">${escapeHtml(info.subtitle)}</p>
<nav><ol>
${contents}
</ol></nav>
</header>
<main>
${body}
</main>
<footer>Every figure is a Vega-Lite spec (the .vl.json link) drawn to SVG by vega and to PNG by resvg with DejaVu Sans; this page needs no network.</footer>
</body>
</html>
`;
}

function sectionHtml(section: ReportSection, figures: readonly RenderedFigure[]): string {
  const parts = [`<section id="${escapeHtml(section.id)}">`, `<h2>${escapeHtml(section.title)}</h2>`];
  if (section.unavailable) parts.push(`<p class="unavailable">This section is unavailable: ${escapeHtml(section.unavailable)}</p>`);
  for (const paragraph of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(paragraph)}</p>`);
  if (section.preformatted) parts.push(`<pre>${escapeHtml(section.preformatted)}</pre>`);
  for (const figure of figures) parts.push(figureHtml(figure));
  for (const table of section.tables ?? []) parts.push(tableHtml(table));
  if (section.notes && section.notes.length > 0) parts.push(`<ul class="notes">${section.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

function figureHtml(figure: RenderedFigure): string {
  const links = figure.files.map(([label, href]) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`).join('');
  const plot = figure.svg ?? `<p class="figure-error">The figure could not be drawn: ${escapeHtml(figure.error ?? 'unknown error')}</p>`;
  return [
    `<figure class="chart" data-figure="${escapeHtml(figure.name)}"${figure.error ? ' data-error="true"' : ''}>`,
    `<div class="plot">${plot}</div>`,
    `<figcaption><strong>${escapeHtml(figure.title)}.</strong> ${escapeHtml(figure.caption ?? '')}${links}</figcaption>`,
    '</figure>',
  ].join('\n');
}
