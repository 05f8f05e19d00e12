import type { Rng } from '../samplers/rng.js';

/**
 * Gumbel draws for Gumbel-top-k and stochastic beam search (Kool, van Hoof and Welling, 2019).
 * All logs are natural.
 */

/**
 * A Gumbel(location) draw: `location − ln(−ln u)` with u = `rng.nextFloat()` (redrawn while
 * u = 0). The maximum of `φ_i + gumbel(0)` over i falls on i with probability softmax(φ)_i.
 *
 * @example
 * gumbel(new Rng(1)); // a standard Gumbel draw
 */
export function gumbel(rng: Rng, location = 0): number {
  let u = rng.nextFloat();
  while (u === 0) u = rng.nextFloat();
  return location - Math.log(-Math.log(u));
}

/**
 * ln(1 + e^x) without overflow.
 *
 * @example
 * softplus(0); // ln 2 = 0.6931...
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * ln(1 − e^a) for a ≤ 0, accurate near 0 and for large −a (−Infinity at a = 0).
 *
 * @example
 * log1mexp(Math.log(0.5)); // ln(1 − 0.5) = −0.6931...
 */
export function log1mexp(a: number): number {
  return a > -Math.LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

/**
 * A Gumbel(location) draw conditioned to be at most `bound`: `−ln(e^−bound + e^−g)` with
 * g ~ Gumbel(location), computed as `bound − softplus(bound − g)`.
 *
 * @example
 * truncatedGumbel(0, -1, new Rng(1)); // ≤ -1
 */
export function truncatedGumbel(location: number, bound: number, rng: Rng): number {
  return bound - softplus(bound - gumbel(rng, location));
}

/**
 * Kool et al.'s conditioning of a child's perturbed log-probability on its parent's key:
 * given the parent's key T, the largest perturbed value among all its children Z and one
 * child's perturbed value g (≤ Z), the child's key is `−ln(e^−T − e^−Z + e^−g)`, so that the
 * best child gets exactly T and the keys of a subtree stay below its root's. Computed as in
 * their appendix: v = T − g + ln(1 − e^(g − Z)); key = T − softplus(v).
 *
 * @example
 * shiftGumbel(-1, 2, 2); // -1: the maximum child inherits the parent's key
 */
export function shiftGumbel(parentKey: number, maxPerturbed: number, perturbed: number): number {
  const v = parentKey - perturbed + log1mexp(perturbed - maxPerturbed);
  return parentKey - softplus(v);
}
