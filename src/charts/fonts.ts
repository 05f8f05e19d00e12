import { createRequire } from 'node:module';
import { loadFontMetrics, type FontMetrics } from './fontMetrics.js';

/**
 * The one font of every figure: DejaVu Sans, shipped by the `dejavu-fonts-ttf` npm
 * package, so a figure is measured, laid out and rasterised the same way on every
 * machine whatever fonts the system has.
 */
export const FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);

/**
 * Absolute paths of the regular and bold DejaVu Sans files.
 *
 * @example
 * fontFiles().regular; // '.../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'
 */
export function fontFiles(): { readonly regular: string; readonly bold: string } {
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  };
}

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

/**
 * Metrics of regular and bold DejaVu Sans (loaded once).
 *
 * @example
 * fontMetrics().regular.width('Probability', 12); // ≈ 68.5
 */
export function fontMetrics(): { readonly regular: FontMetrics; readonly bold: FontMetrics } {
  if (!metrics) {
    const files = fontFiles();
    metrics = { regular: loadFontMetrics(files.regular), bold: loadFontMetrics(files.bold) };
  }
  return metrics;
}
