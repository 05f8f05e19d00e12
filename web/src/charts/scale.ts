/**
 * A linear map from [d0, d1] to [r0, r1].
 *
 * @example
 * linear([0, 1], [0, 100])(0.25); // 25
 */
export function linear(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/**
 * About `count` round tick values covering [0, max] (steps of 1, 2 or 5 × 10^k).
 *
 * @example
 * ticks(100, 5); // [0, 20, 40, 60, 80, 100]
 */
export function ticks(max: number, count: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? raw;
  const result: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) result.push(Number(value.toPrecision(12)));
  return result;
}

/** Eight colours that stay distinct for colour-blind readers (Okabe–Ito), then grey for "the rest". */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#7A5195'] as const;
export const REST_COLOR = '#c8c8c8';
