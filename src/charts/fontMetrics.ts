import { readFileSync } from 'node:fs';

/**
 * Horizontal metrics of one TrueType font: the advance width of every character, read
 * from the font's `cmap` (character → glyph) and `hmtx` (glyph → advance) tables, and
 * the pair kerning of its `kern` table (format 0). Ligatures and other shaping are
 * ignored, so a measured width can differ from a shaped one by a fraction of a character;
 * that is the price of measuring text the same way on every machine (without a canvas
 * library, whose fonts differ between systems).
 */
export interface FontMetrics {
  /** Font design units per em (2048 for DejaVu Sans). */
  readonly unitsPerEm: number;
  /** Advance width of one code point in font units (the missing glyph's for unmapped ones). */
  advance(codePoint: number): number;
  /** Kerning between two consecutive code points in font units (negative: closer). */
  kerning(left: number, right: number): number;
  /**
   * Width of a string at a font size, in the same unit as the size:
   * `(Σ advance(c) + Σ kerning(c, next)) × fontSize / unitsPerEm` over the code points of `text`.
   *
   * @example
   * dejaVuSans.width('59.0%', 12); // ≈ 37.4 px
   */
  width(text: string, fontSize: number): number;
}

/**
 * Reads the metrics of a TrueType (`.ttf`) file. Supports `cmap` formats 4 (Basic
 * Multilingual Plane) and 12 (all planes), as every modern TrueType font has.
 *
 * @example
 * const metrics = loadFontMetrics('node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
 * metrics.width('Temperature = 0.3', 15);
 */
export function loadFontMetrics(path: string): FontMetrics {
  return parseFontMetrics(readFileSync(path));
}

/**
 * Parses the metrics of a TrueType font held in memory (see `loadFontMetrics`).
 *
 * @example
 * parseFontMetrics(readFileSync(fontFiles().regular)).advance(0x20); // 651 (DejaVu Sans space)
 */
export function parseFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(view.getUint8(record), view.getUint8(record + 1), view.getUint8(record + 2), view.getUint8(record + 3));
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const numberOfHMetrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphAdvance = (glyph: number): number => view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const glyphOf = cmapLookup(view, table('cmap'));
  const glyphCache = new Map<number, number>();
  const glyph = (codePoint: number): number => {
    let value = glyphCache.get(codePoint);
    if (value === undefined) {
      value = glyphOf(codePoint);
      glyphCache.set(codePoint, value);
    }
    return value;
  };
  const kernTable = tables.get('kern');
  const pairs = kernTable === undefined ? new Map<number, number>() : kernPairs(view, kernTable);
  const advance = (codePoint: number): number => glyphAdvance(glyph(codePoint));
  const kerning = (left: number, right: number): number => pairs.get(glyph(left) * 65536 + glyph(right)) ?? 0;
  return {
    unitsPerEm,
    advance,
    kerning,
    width(text, fontSize) {
      let units = 0;
      let previous = -1;
      for (const char of text) {
        const current = glyph(char.codePointAt(0) as number);
        units += glyphAdvance(current);
        if (previous >= 0) units += pairs.get(previous * 65536 + current) ?? 0;
        previous = current;
      }
      return (units * fontSize) / unitsPerEm;
    },
  };
}

/** The horizontal pairs of a `kern` table's format 0 subtables: `left × 65536 + right` → adjustment. */
function kernPairs(view: DataView, kern: number): Map<number, number> {
  const pairs = new Map<number, number>();
  if (view.getUint16(kern) !== 0) return pairs; // only the Microsoft version 0 layout
  const count = view.getUint16(kern + 2);
  let subtable = kern + 4;
  for (let i = 0; i < count; i++) {
    const length = view.getUint16(subtable + 2);
    const coverage = view.getUint16(subtable + 4);
    const horizontal = (coverage & 1) === 1;
    const minimum = (coverage & 2) === 2;
    const crossStream = (coverage & 4) === 4;
    if ((coverage >> 8) === 0 && horizontal && !minimum && !crossStream) {
      const n = view.getUint16(subtable + 6);
      for (let pair = 0; pair < n; pair++) {
        const entry = subtable + 14 + 6 * pair;
        pairs.set(view.getUint16(entry) * 65536 + view.getUint16(entry + 2), view.getInt16(entry + 4));
      }
    }
    subtable += length;
  }
  return pairs;
}

/** The character → glyph function of the best Unicode subtable of a `cmap` table. */
function cmapLookup(view: DataView, cmap: number): (codePoint: number) => number {
  const count = view.getUint16(cmap + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const subtable = cmap + view.getUint32(record + 4);
    const format = view.getUint16(subtable);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 === undefined) format12 = subtable;
    if (format === 4 && format4 === undefined) format4 = subtable;
  }
  if (format12 !== undefined) {
    const groups = view.getUint32(format12 + 12);
    const start = format12 + 16;
    return (codePoint) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const group = start + 12 * mid;
        const first = view.getUint32(group);
        const last = view.getUint32(group + 4);
        if (codePoint < first) hi = mid - 1;
        else if (codePoint > last) lo = mid + 1;
        else return view.getUint32(group + 8) + (codePoint - first);
      }
      return 0;
    };
  }
  if (format4 !== undefined) {
    const table = format4;
    const segments = view.getUint16(table + 6) / 2;
    const endCodes = table + 14;
    const startCodes = endCodes + 2 * segments + 2;
    const deltas = startCodes + 2 * segments;
    const rangeOffsets = deltas + 2 * segments;
    return (codePoint) => {
      if (codePoint > 0xffff) return 0;
      for (let segment = 0; segment < segments; segment++) {
        if (codePoint > view.getUint16(endCodes + 2 * segment)) continue;
        const first = view.getUint16(startCodes + 2 * segment);
        if (codePoint < first) return 0;
        const delta = view.getInt16(deltas + 2 * segment);
        const rangeOffsetAt = rangeOffsets + 2 * segment;
        const rangeOffset = view.getUint16(rangeOffsetAt);
        if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
        const glyph = view.getUint16(rangeOffsetAt + rangeOffset + 2 * (codePoint - first));
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
      return 0;
    };
  }
  throw new Error('font has no Unicode cmap subtable (format 4 or 12)');
}
