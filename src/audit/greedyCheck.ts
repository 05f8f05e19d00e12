import { firstKey, refusalOf } from './answers.js';
import { pooledFit } from './pooledFit.js';
import { cellLabels, cellOf, neutralCells, type Position } from './position.js';
import { binomial } from './seedCheck.js';
import type { Fields, KnobResult, TargetAnswer, TargetRequest } from './types.js';
import { formatP } from './verdict.js';

/**
 * The most likely token's probability and its lead (in nats) over the next, at a position.
 *
 * @example
 * argmaxLead(position); // { top: 0.5, gap: 0.51 } for listed 0.5 and 0.3
 */
export function argmaxLead(position: Position): { top: number; gap: number } {
  const [first, second] = position.head;
  return { top: first ? Math.exp(first.logprob) : 1, gap: first && second ? first.logprob - second.logprob : Infinity };
}

/**
 * Requests of the temperature-0 check: one per seed, eight tokens each.
 *
 * @example
 * greedyRequests(position, { top_p: 1 }, [1, 2])[0].fields; // { top_p: 1, temperature: 0 }
 */
export function greedyRequests(position: Position, baseline: Fields, seeds: readonly number[]): TargetRequest[] {
  return seeds.map((seed) => ({ prompt: position.prompt, fields: { ...baseline, temperature: 0 }, seed, maxTokens: 8 }));
}

/**
 * How many temperature-0 trials: enough that unchanged sampling (temperature ignored)
 * giving the most likely first token every time, `top^trials`, is below α/10; at least 5.
 *
 * @example
 * greedyTrials(0.5, 1e-4); // 17
 */
export function greedyTrials(top: number, alpha: number): number {
  if (!(top < 1)) return Infinity;
  return Math.max(5, Math.ceil(Math.log(alpha / 10) / Math.log(top)));
}

/**
 * The temperature-0 check: requests with different seeds at temperature 0 must all give
 * the same text, starting with the most likely token of the neutral distribution (`applied`:
 * deterministic and greedy, p = top^trials for sampling unchanged). Different texts, or a
 * first token that is not the most likely, give `different` (or `ignored` when the first
 * tokens follow the neutral distribution).
 *
 * @example
 * judgeGreedy(position, answers, seeds, 1e-4).verdict; // 'applied'
 */
export function judgeGreedy(position: Position, answers: readonly TargetAnswer[], seeds: readonly number[], alpha: number): KnobResult {
  const n = answers.length;
  const base = { knob: 'temperature', setting: { temperature: 0 } };
  const refused = refusalOf(answers);
  if (refused) return { ...base, verdict: 'refused', p_value: null, n, evidence: { summary: `temperature 0 was refused: ${refused.reason}`, refusal: { reason: refused.reason, by_server: refused.byServer }, prompt: position.prompt } };
  const texts = new Set(answers.map((answer) => (answer.status === 'ok' ? answer.text : '')));
  const firsts = answers.map(firstKey);
  const argmax = position.head[0]?.key;
  const { top } = argmaxLead(position);
  const pSampling = top ** n;
  const evidence = { prompt: position.prompt, seeds: [seeds[0] ?? 0, seeds[seeds.length - 1] ?? 0] as const, alpha, trials: n, distinct_texts: texts.size, most_likely: position.head[0]?.text ?? null, most_likely_probability: top };
  const greedy = firsts.every((key) => key === argmax);
  if (texts.size === 1 && greedy) {
    return { ...base, verdict: 'applied', p_value: pSampling, n, evidence: { ...evidence, summary: `${n} requests with different seeds gave one text, starting with the most likely token; unchanged sampling would do that with probability ${formatP(pSampling)}` } };
  }
  if (greedy) {
    return { ...base, verdict: 'different', p_value: pSampling, n, evidence: { ...evidence, summary: `the first token is always the most likely one, but ${texts.size} distinct texts came back from ${n} requests: temperature 0 is greedy but not deterministic` } };
  }
  const counts = new Float64Array(position.head.length + 1);
  for (const key of firsts) counts[cellOf(position, key)] = (counts[cellOf(position, key)] as number) + 1;
  const fit = pooledFit(counts, neutralCells(position));
  const labels = cellLabels(position);
  const drawn = [...new Set(firsts)].map((key) => labels[cellOf(position, key)]).slice(0, 5);
  if (fit.pValue >= alpha) return { ...base, verdict: 'ignored', p_value: 0, n, evidence: { ...evidence, summary: `at temperature 0 the first tokens vary (${drawn.map((label) => JSON.stringify(label)).join(', ')}) as at temperature 1 (p = ${formatP(fit.pValue)})` } };
  return { ...base, verdict: 'different', p_value: fit.pValue, n, evidence: { ...evidence, summary: `at temperature 0 the first tokens are ${drawn.map((label) => JSON.stringify(label)).join(', ')}: neither always the most likely (${JSON.stringify(labels[0])}) nor the neutral distribution (p = ${formatP(fit.pValue)})` } };
}

/**
 * P(the first `m` of `2m` exchangeable outputs are all equal), given the multiset of all
 * `2m` outputs: Σ_v C(c_v, m) / C(2m, m) over the distinct values v with counts c_v. The
 * exact conditional test of "temperature 0 changed nothing" when no log-probabilities say
 * how likely agreement is by chance.
 *
 * @example
 * allEqualChance(['a','a','a','b','c','d'], 3); // C(3,3)/C(6,3) = 0.05
 */
export function allEqualChance(outputs: readonly string[], m: number): number {
  const counts = new Map<string, number>();
  for (const output of outputs) counts.set(output, (counts.get(output) ?? 0) + 1);
  const total = binomial(outputs.length, m);
  let sum = 0;
  for (const count of counts.values()) if (count >= m) sum += binomial(count, m);
  return sum / total;
}

/**
 * The temperature-0 check of a target without log-probabilities: `m` requests at
 * temperature 0 and `m` at temperature 1 (eight tokens each, different seeds). `applied`
 * when the temperature-0 texts are all the same and that is implausible were temperature
 * ignored (`allEqualChance` < alpha); `different` when they differ; `untestable` when even
 * temperature 1 gives one text (nothing to compare).
 *
 * @example
 * judgeGreedyWithoutLogprobs(atZero, atOne, seeds, 1e-4).verdict; // 'applied'
 */
export function judgeGreedyWithoutLogprobs(zero: readonly TargetAnswer[], one: readonly TargetAnswer[], seeds: readonly number[], alpha: number): KnobResult {
  const base = { knob: 'temperature', setting: { temperature: 0 } };
  const n = zero.length + one.length;
  const refused = refusalOf(zero);
  if (refused) return { ...base, verdict: 'refused', p_value: null, n, evidence: { summary: `temperature 0 was refused: ${refused.reason}`, refusal: { reason: refused.reason, by_server: refused.byServer } } };
  const text = (answer: TargetAnswer): string => (answer.status === 'ok' ? answer.text : '(refused)');
  const zeroTexts = zero.map(text);
  const oneTexts = one.map(text);
  const distinctZero = new Set(zeroTexts).size;
  const distinctOne = new Set(oneTexts).size;
  const p = allEqualChance([...zeroTexts, ...oneTexts], zero.length);
  const evidence = { seeds: [seeds[0] ?? 0, seeds[seeds.length - 1] ?? 0] as const, alpha, trials: zero.length, distinct_texts: distinctZero, distinct_texts_at_temperature_1: distinctOne, note: 'no log-probabilities: the comparison is with as many requests at temperature 1 (an exact conditional test)' };
  if (distinctZero === 1 && p < alpha) return { ...base, verdict: 'applied', p_value: p, n, evidence: { ...evidence, summary: `${zero.length} requests at temperature 0 gave one text while temperature 1 gave ${distinctOne}; were temperature 0 ignored, that agreement has probability ${formatP(p)}` } };
  if (distinctZero === 1) return { ...base, verdict: 'untestable', p_value: null, n, evidence: { ...evidence, summary: `temperature 0 gave one text, but so few distinct texts come at temperature 1 (${distinctOne}) that agreement proves nothing (p = ${formatP(p)})` } };
  return { ...base, verdict: 'different', p_value: null, n, evidence: { ...evidence, summary: `${zero.length} requests at temperature 0 gave ${distinctZero} distinct texts: not deterministic` } };
}
