import { pooledFit } from './pooledFit.js';
import { cellLabels, cellOf, neutralCells, type Position } from './position.js';
import { formatP } from './verdict.js';
import type { AnswerToken, CheckResult, Fields, KnobResult, TargetAnswer, TargetRequest } from './types.js';

/** The refusal among answers, if any. */
export function refusalOf(answers: readonly TargetAnswer[]): Extract<TargetAnswer, { status: 'refused' }> | undefined {
  return answers.find((answer): answer is Extract<TargetAnswer, { status: 'refused' }> => answer.status === 'refused');
}

/** The key of an answer's first token (its text when the target gave no tokens). */
export function firstKey(answer: TargetAnswer): string {
  if (answer.status !== 'ok') return '';
  return answer.tokens[0]?.key ?? answer.text;
}

/** The collision probability Σ p² of a position's neutral distribution, bounded above for the unseen tail (each tail token at most as likely as the least likely listed one). */
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

/** The seed check's requests: each seed twice, one token, at a position with a spread-out distribution. */
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

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** The most likely token's probability and its lead (in nats) over the next, at a position. */
export function argmaxLead(position: Position): { top: number; gap: number } {
  const [first, second] = position.head;
  return { top: first ? Math.exp(first.logprob) : 1, gap: first && second ? first.logprob - second.logprob : Infinity };
}

/** Requests of the temperature-0 check: `trials` seeds, eight tokens each. */
export function greedyRequests(position: Position, baseline: Fields, seeds: readonly number[]): TargetRequest[] {
  return seeds.map((seed) => ({ prompt: position.prompt, fields: { ...baseline, temperature: 0 }, seed, maxTokens: 8 }));
}

/**
 * How many temperature-0 trials: enough that unchanged sampling (temperature ignored)
 * giving the most likely first token every time, `top^trials`, is below α/10; at least 5.
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
 * Whether returned log-probabilities are the model's (before the knobs) or the sampler's
 * (after them): the top alternatives of one request with a knob set, against the neutral
 * ones (within 1e-3 nats: before) and against the log of the applied distribution (within
 * 0.01: after).
 */
export function judgeLogprobs(position: Position, applied: Float64Array, setting: Fields, answer: TargetAnswer): CheckResult {
  if (answer.status !== 'ok') return { check: 'logprobs', result: 'untestable', p_value: null, n: 1, evidence: { summary: `the request was refused: ${answer.reason}` } };
  const top: readonly AnswerToken[] = answer.tokens[0]?.top ?? [];
  let neutralGap = 0;
  let appliedGap = 0;
  let compared = 0;
  for (const token of top) {
    const index = position.head.findIndex((candidate) => candidate.key === token.key);
    if (index < 0 || token.logprob === undefined) continue;
    compared++;
    neutralGap = Math.max(neutralGap, Math.abs(token.logprob - (position.head[index] as { logprob: number }).logprob));
    const p = applied[index] as number;
    appliedGap = Math.max(appliedGap, p > 0 ? Math.abs(token.logprob - Math.log(p)) : Infinity);
  }
  const evidence = { setting, prompt: position.prompt, compared, largest_difference_from_neutral: neutralGap, largest_difference_from_applied: appliedGap };
  if (compared === 0) return { check: 'logprobs', result: 'untestable', p_value: null, n: 1, evidence: { ...evidence, summary: 'the answer had no alternatives to compare' } };
  if (neutralGap <= 1e-3) return { check: 'logprobs', result: 'before the knobs', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are the neutral ones (within ${neutralGap.toExponential(1)} nats): the model's distribution, before the knobs` } };
  if (appliedGap <= 1e-2) return { check: 'logprobs', result: 'after the knobs', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are those of the distribution the knob leaves (within ${appliedGap.toExponential(1)} nats): after the knobs` } };
  return { check: 'logprobs', result: 'neither', p_value: null, n: 1, evidence: { ...evidence, summary: `with ${JSON.stringify(setting)} the returned log-probabilities are neither the neutral ones (off by ${neutralGap.toFixed(3)}) nor the knob's (off by ${appliedGap.toFixed(3)})` } };
}

/**
 * Whether draws at the baseline follow the neutral log-probabilities (the audit's model of
 * "ignored"): a pooled chi-square of first tokens against the neutral distribution.
 */
export function judgeNeutral(position: Position, expected: Float64Array, answers: readonly TargetAnswer[], alpha: number): CheckResult {
  const counts = new Float64Array(expected.length);
  for (const answer of answers) counts[cellOf(position, firstKey(answer))] = (counts[cellOf(position, firstKey(answer))] as number) + 1;
  const fit = pooledFit(counts, expected);
  const matches = fit.pValue >= alpha;
  return {
    check: 'neutral',
    result: matches ? 'matches' : 'differs',
    p_value: fit.pValue,
    n: answers.length,
    evidence: {
      prompt: position.prompt,
      summary: matches
        ? `draws with the baseline settings follow the returned log-probabilities (p = ${formatP(fit.pValue)})`
        : `draws with the baseline settings do not follow the returned log-probabilities (p = ${formatP(fit.pValue)}): the server samples from something else (hidden defaults, or log-probabilities after its knobs); verdicts that rest on "ignored" are in doubt`,
      g: fit.g,
      chi2: fit.chi2,
      df: fit.degreesOfFreedom,
    },
  };
}

/** Which knobs were refused with an error, refused by our client, or dropped silently. */
export function judgeRefusals(results: readonly KnobResult[]): CheckResult {
  const errors = results.filter((result) => result.verdict === 'refused' && result.evidence.refusal?.by_server === true).map((result) => result.knob);
  const client = results.filter((result) => result.verdict === 'refused' && result.evidence.refusal?.by_server === false).map((result) => result.knob);
  const silent = results.filter((result) => result.verdict === 'ignored').map((result) => result.knob);
  const parts = [
    errors.length > 0 ? `refused with an error: ${errors.join(', ')}` : '',
    client.length > 0 ? `refused by the client before sending (its capability table): ${client.join(', ')}` : '',
    silent.length > 0 ? `accepted and silently dropped: ${silent.join(', ')}` : '',
  ].filter(Boolean);
  return {
    check: 'refusals',
    result: errors.length + client.length + silent.length === 0 ? 'none' : parts.join('; '),
    p_value: null,
    n: 0,
    evidence: { summary: parts.length === 0 ? 'no knob was refused or dropped' : parts.join('; '), error: errors, client: client, silent },
  };
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
