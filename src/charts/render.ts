import type { TopLevelSpec } from 'vega-lite';
import { InvalidParameterError, KnobsError } from '../core/errors.js';
import { FONT_FAMILY, fontFiles, fontMetrics } from './fonts.js';

/**
 * Rendering: the one step that turns a Vega-Lite spec into a file. Chart builders never
 * render; this module never builds. vega and resvg are loaded on first use, so commands
 * that draw nothing do not pay for them.
 */

/** The file formats a figure can be written as. */
export const FIGURE_FORMATS = ['svg', 'png', 'vl.json'] as const;
/** A file format of a figure: `svg`, `png` or `vl.json` (the Vega-Lite spec). */
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** A spec that cannot be compiled or drawn. */
export class RenderError extends KnobsError {
  override name = 'RenderError';
}

/** Options of `renderSvg` and `renderPng`. */
export interface RenderOptions {
  /** Called with every warning of Vega-Lite or Vega (a clean figure has none). */
  onWarning?: (message: string) => void;
}

/** Options of `renderPng`. */
export interface PngOptions extends RenderOptions {
  /** Pixels per SVG unit (default 2: a 900 × 750 figure becomes 1800 × 1500 pixels). */
  scale?: number;
}

/**
 * The format of an output file from its name: `.svg`, `.png` or `.vl.json` (Vega-Lite
 * spec). Throws an `InvalidParameterError` naming the file otherwise.
 *
 * @example
 * formatFromPath('t.png'); // 'png'
 */
export function formatFromPath(path: string): FigureFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.vl.json')) return 'vl.json';
  if (lower.endsWith('.svg')) return 'svg';
  if (lower.endsWith('.png')) return 'png';
  throw new InvalidParameterError('--out', path, 'a file name ending in .svg, .png or .vl.json');
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let engines: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

/** Loads vega and vega-lite once and installs the deterministic text measurement. */
function loadEngines(): Promise<{ vega: Vega; vl: VegaLite }> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => {
    const { regular, bold } = fontMetrics();
    // Vega measures text to lay out axes, legends and titles. Without a canvas library it
    // guesses 0.8 em per character; with one, it depends on the system's fonts. Measuring
    // with DejaVu Sans's own advance widths (as vl-convert does with its fonts) gives the
    // same layout on every machine, and the layout that resvg and browsers then draw.
    const metrics = (vega as unknown as { textMetrics: { width: (item: unknown, text?: unknown) => number } }).textMetrics;
    metrics.width = (item, text) => {
      const mark = item as { fontSize?: number; fontWeight?: string | number };
      const size = mark.fontSize != null ? Number(mark.fontSize) || 0 : 11;
      const value = text == null ? '' : String(text).trim();
      const weight = mark.fontWeight;
      const isBold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
      return (isBold ? bold : regular).width(value, size);
    };
    return { vega, vl };
  });
  return engines;
}

function logger(onWarning: (message: string) => void, errors: string[]) {
  const text = (args: unknown[]): string => args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
  const log = {
    level(): number {
      return 2; // vega.Warn
    },
    error(...args: unknown[]) {
      errors.push(text(args));
      return log;
    },
    warn(...args: unknown[]) {
      onWarning(text(args));
      return log;
    },
    info() {
      return log;
    },
    debug() {
      return log;
    },
  };
  return log;
}

/**
 * Draws a Vega-Lite spec as an SVG document with vega's headless view. Deterministic:
 * the same spec gives the same text on every machine (text is measured with the bundled
 * font's metrics, and the ids of clip paths and gradients restart for every figure).
 *
 * @example
 * const svg = await renderSvg(temperatureFigureSpec(temperatureFigureData(logits)));
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const { vega, vl } = await loadEngines();
  const errors: string[] = [];
  const log = logger(options.onWarning ?? (() => {}), errors);
  let compiled;
  try {
    compiled = vl.compile(spec, { logger: log }).spec;
  } catch (error) {
    throw new RenderError(`the Vega-Lite spec does not compile: ${(error as Error).message}`);
  }
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: log, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new RenderError(`vega could not draw the figure: ${errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * Rasterises a spec (or an SVG document) to PNG with resvg, using only the bundled
 * DejaVu Sans files (system fonts off), so the pixels do not depend on the machine.
 *
 * @example
 * await writeFile('t.png', await renderPng(spec, { scale: 2 }));
 */
export async function renderPng(input: TopLevelSpec | string, options: PngOptions = {}): Promise<Buffer> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 10)) throw new InvalidParameterError('scale', scale, 'a number in (0, 10]');
  const svg = typeof input === 'string' ? input : await renderSvg(input, options);
  const module = (await import('@resvg/resvg-js')) as typeof import('@resvg/resvg-js') & { default?: typeof import('@resvg/resvg-js') };
  const Resvg = module.Resvg ?? module.default?.Resvg;
  const files = fontFiles();
  const image = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [files.regular, files.bold], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  });
  return image.render().asPng();
}

/**
 * A figure in one of the `FIGURE_FORMATS`: SVG text, PNG bytes or the Vega-Lite spec as
 * indented JSON.
 *
 * @example
 * await writeFile('t.vl.json', await renderFigure(spec, formatFromPath('t.vl.json')));
 */
export async function renderFigure(spec: TopLevelSpec, format: FigureFormat, options: PngOptions = {}): Promise<string | Buffer> {
  if (format === 'vl.json') return `${JSON.stringify(spec, null, 2)}\n`;
  if (format === 'svg') return renderSvg(spec, options);
  return renderPng(spec, options);
}
