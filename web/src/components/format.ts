/** Number formats shared by the views (the full value is always in a `data-value` attribute). */

/** A probability with 4 decimals (`0.4740`). */
export const fmtP = (p: number): string => p.toFixed(4);

/** A percentage with one decimal (`93.2%`). */
export const fmtPercent = (p: number): string => `${(p * 100).toFixed(1)}%`;

/** A logit: `-∞` for removed tokens, else up to 4 decimals. */
export const fmtLogit = (value: number): string => (value === -Infinity ? '−∞' : String(Number(value.toFixed(4))));

/** An integer with thousands separators (`200,007`). */
export const fmtInt = (value: number): string => value.toLocaleString('en-US');

/** Nats with 4 decimals. */
export const fmtNats = (value: number): string => value.toFixed(4);

/** Quotes a string for a POSIX shell. */
export const shellQuote = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
