/**
 * The seed's demonstrations, in the order `knobs demo` and the tour list them. Kept apart
 * from their text (`demoText.ts`, which loads every demonstration) so that registering
 * `knobs demo` loads nothing; `DEMOS` must have exactly these names, in this order.
 *
 * @example
 * DEMO_NAMES.includes('softmax'); // true
 */
export const DEMO_NAMES = ['softmax', 'temperature', 'figure', 'top-p', 'compare', 'interaction'] as const;

/** The name of one demonstration. */
export type DemoName = (typeof DEMO_NAMES)[number];
