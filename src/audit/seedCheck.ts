import { firstKey, refusalOf } from './answers.js';
import { neutralCells, type Position } from './position.js';
import type { Fields, KnobResult, TargetAnswer, TargetRequest } from './types.js';
import { formatP } from './verdict.js';

/**
 * The collision probability Σ p² of a position's neutral distribution (the chance that two
 * unseeded draws agree), bounded above for the unseen tail: each tail token at most as likely
 * as the least likely listed one.
 *
 * @example
 * collisionBound(position); // 0.4 for listed 0.5 and 0.3 and a tail of 0.2: 0.25 + 0.09 + 0.2 · 0.3
 */
export function collisionBound(position: Position): number {
  let sum = 0;
  let floor = Infinity;
  for (const candidate of position.head) {
    const p = Math.exp(candidate.logprob);
    sum += p * p;
    floor = Math.min(floor, p);
  }
  return Math.min(1, sum + position.tailMass * (Number.isFinite(floor) ? floor : position.tailMass));
}

/**
 * How many same-seed pairs the seed check sends: enough that, were the seed ignored, all
 * of them agreeing by chance (probability `collision^pairs`) would be below α/10; at least 5.
 *
 * @example
 * seedPairs(0.2, 1e-4); // 7
 */
export function seedPairs(collision: number, alpha: number): number {
  if (!(collision < 1)) return Infinity;
  return Math.max(5, Math.ceil(Math.log(alpha / 10) / Math.log(collision)));
}

/**
 * The seed check's requests: each seed twice, one token, at a position with a spread-out distribution.
 *
 * @example
 * seedRequests(position, { temperature: 1 }, [900000, 900001]).length; // 4
 */
export function seedRequests(position: Position, baseline: Fields, seeds: readonly number[]): TargetRequest[] {
  return seeds.flatMap((seed) => [0, 1].map(() => ({ prompt: position.prompt, fields: baseline, seed, maxTokens: 1 })));
}

/**
 * The seed check: the same request with the same seed, twice, for several seeds. Honoured
 * (`applied`) when every pair agrees and agreement by chance is implausible (p =
 * collision^pairs, the collision probability from the neutral distribution); `ignored` when
 * pairs disagree about as often as unseeded draws would; `different` when some pairs
 * disagree but far fewer than chance, or when every seed gives the same token although the
 * distribution is spread out (the seed does not reach the sampler).
 *
 * @example
 * judgeSeed(position, answers, 1e-4).verdict; // 'applied'
 */
export function judgeSeed(position: Position, answers: readonly TargetAnswer[], seeds: readonly number[], alpha: number): KnobResult {
  const refused = refusalOf(answers);
  const n = answers.length;
  const base = { knob: 'seed', setting: { seed: seeds[0] ?? 0 } };
  if (refused) return { ...base, verdict: 'refused', p_value: null, n, evidence: { summary: `the request with a seed was refused: ${refused.reason}`, refusal: { reason: refused.reason, by_server: refused.byServer }, prompt: position.prompt } };
  const collision = collisionBound(position);
  const pairs = seeds.length;
  let matches = 0;
  const firsts = new Set<string>();
  for (let pair = 0; pair < pairs; pair++) {
    const a = firstKey(answers[2 * pair] as TargetAnswer);
    const b = firstKey(answers[2 * pair + 1] as TargetAnswer);
    if (a === b) matches++;
    firsts.add(a);
  }
  const evidence = { prompt: position.prompt, seeds: [seeds[0] ?? 0, seeds[seeds.length - 1] ?? 0] as const, alpha, pairs, matching_pairs: matches, distinct_tokens: firsts.size, collision_probability: collision };
  if (matches === pairs) {
    const pIgnored = collision ** pairs;
    // Every seed gave the same token: possible only if the seed never reaches the sampler (or the distribution is sharp).
    const neutral = neutralCells(position);
    const allSame = neutral.reduce((sum, p) => sum + p ** pairs, 0);
    if (firsts.size === 1 && allSame < alpha) {
      return { ...base, verdict: 'different', p_value: allSame, n, evidence: { ...evidence, summary: `every one of ${pairs} seeds gave the same token (chance ${formatP(allSame)} if seeds were honoured): the output does not depend on the seed` } };
    }
    if (pIgnored >= alpha) return { ...base, verdict: 'untestable', p_value: null, n, evidence: { ...evidence, summary: `all ${pairs} pairs agree, but agreement by chance is likely here (${formatP(pIgnored)})` } };
    return { ...base, verdict: 'applied', p_value: pIgnored, n, evidence: { ...evidence, summary: `all ${pairs} same-seed pairs gave the same token; by chance (seed ignored) that has probability ${formatP(pIgnored)}` } };
  }
  // Pairs that disagree: is agreement above chance (partly honoured) or at chance (ignored)?
  let tail = 0;
  for (let k = matches; k <= pairs; k++) tail += binomial(pairs, k) * collision ** k * (1 - collision) ** (pairs - k);
  if (tail >= alpha) return { ...base, verdict: 'ignored', p_value: 0, n, evidence: { ...evidence, summary: `${pairs - matches} of ${pairs} same-seed pairs gave different tokens; ${matches} agreeing is what unseeded draws give (p = ${formatP(Math.min(1, tail))})` } };
  return { ...base, verdict: 'different', p_value: Math.min(1, tail), n, evidence: { ...evidence, summary: `${pairs - matches} of ${pairs} same-seed pairs gave different tokens, yet ${matches} agree, far more than chance (p = ${formatP(tail)}): the seed is honoured only sometimes` } };
}

/**
 * The binomial coefficient C(n, k), as a float.
 *
 * @example
 * binomial(6, 3); // 20
 */
export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}
