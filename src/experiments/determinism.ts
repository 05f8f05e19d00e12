import type { TokenInfo } from '../providers/types.js';

/** One trial of a determinism test: the text and, when the provider gives them, its tokens. */
export interface DeterminismTrial {
  readonly text: string;
  readonly tokens?: readonly TokenInfo[];
}

/** One distinct output and the trials (0-based) that produced it. */
export interface DistinctOutput {
  readonly text: string;
  readonly count: number;
  readonly trials: readonly number[];
}

/** A candidate token at the divergence, with its log-probability (nats). */
export interface DivergenceCandidate {
  readonly token: string;
  readonly logprob: number;
}

/** Where the outputs of a determinism test first differ. */
export interface Divergence {
  /** `token` when every trial has tokens, else `character`. */
  readonly unit: 'token' | 'character';
  /** 0-based index of the first token (or character) at which the trials do not all agree. */
  readonly position: number;
  /** Text every trial shares before the divergence. */
  readonly prefix: string;
  /** Each distinct output from the divergence on (an empty text is a trial that ended there). */
  readonly branches: readonly DistinctOutput[];
  /** The two most likely tokens at the divergence, when log-probabilities exist. */
  readonly candidates?: readonly [DivergenceCandidate, DivergenceCandidate];
  /** `candidates[0].logprob - candidates[1].logprob` in nats: how close the call was. */
  readonly logprobGap?: number;
}

/** What a determinism test found. */
export interface DeterminismAnalysis {
  readonly trials: number;
  /** Number of distinct output strings (the seed's metric). */
  readonly distinct: number;
  readonly deterministic: boolean;
  /** Distinct outputs, most frequent first (ties: first seen first). */
  readonly outputs: readonly DistinctOutput[];
  /** Absent when every trial gave the same text (or there are fewer than two trials). */
  readonly divergence?: Divergence;
}

/**
 * Analyses repeated completions of one request (temperature 0, same seed): how many
 * distinct outputs, where they first diverge and, where log-probabilities exist, how close
 * the top two candidates were there. Divergence is found on tokens when every trial has
 * them (the first position where some trial's token differs or some trial has ended),
 * otherwise on characters (the longest common prefix, never splitting a surrogate pair).
 * The gap comes from the top alternatives at the divergence (the first trial that has two),
 * or else from the log-probabilities of the tokens the branches chose.
 *
 * @example
 * analyzeDeterminism([{ text: '2 + 2 = 4.' }, { text: '2 + 2 = 4.' }, { text: '2 + 2 is 4.' }]);
 * // { trials: 3, distinct: 2, deterministic: false, divergence: { unit: 'character', position: 6, prefix: '2 + 2 ', ... } }
 */
export function analyzeDeterminism(trials: readonly DeterminismTrial[]): DeterminismAnalysis {
  const outputs = distinctOutputs(trials.map((trial) => trial.text));
  const base = { trials: trials.length, distinct: outputs.length, deterministic: outputs.length <= 1, outputs };
  if (outputs.length <= 1) return base;
  const tokenised = trials.every((trial) => trial.tokens !== undefined && trial.tokens.map((token) => token.token).join('') === trial.text);
  const divergence = tokenised ? tokenDivergence(trials) : characterDivergence(trials);
  return { ...base, divergence };
}

/**
 * The distinct strings of a list, most frequent first, ties in order of first appearance.
 *
 * @example
 * distinctOutputs(['a', 'b', 'b']); // [{ text: 'b', count: 2, trials: [1, 2] }, { text: 'a', count: 1, trials: [0] }]
 */
export function distinctOutputs(texts: readonly string[]): DistinctOutput[] {
  const groups = new Map<string, number[]>();
  texts.forEach((text, index) => {
    const list = groups.get(text);
    if (list) list.push(index);
    else groups.set(text, [index]);
  });
  return [...groups.entries()]
    .map(([text, indices]) => ({ text, count: indices.length, trials: indices }))
    .sort((a, b) => b.count - a.count || (a.trials[0] as number) - (b.trials[0] as number));
}

function tokenDivergence(trials: readonly DeterminismTrial[]): Divergence {
  const lists = trials.map((trial) => trial.tokens as readonly TokenInfo[]);
  let position = 0;
  for (; ; position++) {
    const first = lists[0]?.[position]?.token;
    if (first === undefined || lists.some((tokens) => tokens[position]?.token !== first)) break;
  }
  const prefix = (lists[0] ?? []).slice(0, position).map((token) => token.token).join('');
  const branches = distinctOutputs(trials.map((trial) => trial.text.slice(prefix.length)));
  const here = lists.map((tokens) => tokens[position]).filter((token): token is TokenInfo => token !== undefined);
  const withTop = here.find((token) => (token.top?.length ?? 0) >= 2);
  let candidates: [DivergenceCandidate, DivergenceCandidate] | undefined;
  if (withTop?.top) {
    const [a, b] = [...withTop.top].sort((x, y) => y.logprob - x.logprob) as [DivergenceCandidate, DivergenceCandidate];
    candidates = [{ token: a.token, logprob: a.logprob }, { token: b.token, logprob: b.logprob }];
  } else {
    const chosen = new Map<string, number>();
    for (const token of here) if (token.logprob !== null && !chosen.has(token.token)) chosen.set(token.token, token.logprob);
    const ranked = [...chosen.entries()].sort((x, y) => y[1] - x[1]);
    if (ranked.length >= 2) {
      const [[ta, la], [tb, lb]] = ranked as [[string, number], [string, number]];
      candidates = [{ token: ta, logprob: la }, { token: tb, logprob: lb }];
    }
  }
  return {
    unit: 'token',
    position,
    prefix,
    branches,
    ...(candidates ? { candidates, logprobGap: candidates[0].logprob - candidates[1].logprob } : {}),
  };
}

function characterDivergence(trials: readonly DeterminismTrial[]): Divergence {
  const texts = trials.map((trial) => trial.text);
  const first = texts[0] ?? '';
  let position = 0;
  while (position < first.length && texts.every((text) => text[position] === first[position])) position++;
  // Do not cut a surrogate pair in two: step back to its first half.
  if (position > 0 && position < first.length && /[\uD800-\uDBFF]/.test(first[position - 1] as string)) position--;
  const prefix = first.slice(0, position);
  return { unit: 'character', position, prefix, branches: distinctOutputs(texts.map((text) => text.slice(position))) };
}
