import { InvalidParameterError } from '../core/errors.js';
import { selectFirst } from '../core/partialSort.js';
import { checkAtLeast, checkInteger } from '../core/validate.js';
import type { LanguageModel } from '../models/languageModel.js';
import { Rng } from '../samplers/rng.js';
import { gumbel, shiftGumbel, truncatedGumbel } from './gumbel.js';
import { drawRest } from './restSampler.js';
import { topLogprobs, type TopLogprobs } from './topLogprobs.js';

/** Options of `beamSearch`. */
export interface BeamSearchOptions {
  /** Number of beams kept at every step (transformers' `num_beams`); 1 is greedy search. */
  width: number;
  /** Most tokens to generate after the prompt (transformers' `max_new_tokens`). */
  maxTokens: number;
  /**
   * Exponent of the length normalisation of finished hypotheses (default 1, as
   * transformers): score = Σ logprob / length ** lengthPenalty, length counting the
   * generated tokens including a final stop token. 0 ranks by total log-probability;
   * > 0 favours longer hypotheses, < 0 shorter ones. Ignored by stochastic beam search.
   */
  lengthPenalty?: number;
  /**
   * When to stop before `maxTokens` (transformers' `early_stopping`, default false), once
   * `width` hypotheses have finished:
   * - `true`: at once;
   * - `false`: when the best running beam, scored at its current length, cannot beat the
   *   worst finished hypothesis (a heuristic when lengthPenalty > 0);
   * - `'never'`: when it cannot beat it even at the most favourable length (`maxTokens`
   *   if lengthPenalty > 0): canonical beam search with lengthPenalty 0.
   * Ignored by stochastic beam search, which runs until its `width` hypotheses are finished.
   */
  earlyStopping?: boolean | 'never';
  /** How many hypotheses to return, best first (default 1, at most `width`). */
  nBest?: number;
  /** Tokens that end a hypothesis (default `model.stopTokens`). */
  stopTokens?: readonly number[];
  /** Stochastic beam search (Kool et al., 2019) instead of the deterministic one. */
  stochastic?: boolean;
  /** Seed of stochastic beam search's Gumbel draws (default 0). */
  seed?: number;
  /** Called after every step with the step number (1-based). */
  onStep?: (step: number) => void;
}

/** One hypothesis of a beam search. */
export interface BeamHypothesis {
  /** Generated tokens (after the prompt), including the stop token when it ended on one. */
  readonly tokens: readonly number[];
  /** Natural-log probability of each token under the model. */
  readonly logprobs: readonly number[];
  /** Σ logprobs. */
  readonly logprob: number;
  /**
   * What the hypotheses are ranked by: logprob / tokens.length ** lengthPenalty for beam
   * search; the Gumbel-perturbed key for stochastic beam search.
   */
  readonly score: number;
  /** Whether it ended on a stop token (false: it reached `maxTokens`). */
  readonly stopped: boolean;
}

/** What `beamSearch` returns. */
export interface BeamSearchResult {
  /** The n-best hypotheses, best first. */
  readonly hypotheses: readonly BeamHypothesis[];
  /** Steps run (≤ maxTokens). */
  readonly steps: number;
  /** Calls of `model.nextLogits`. */
  readonly modelCalls: number;
}

interface Beam {
  readonly tokens: number[];
  readonly logprobs: number[];
  readonly logprob: number;
  /** Ranking key: the cumulative logprob (beam search) or the perturbed key (stochastic). */
  readonly key: number;
}

interface Candidate extends Beam {
  readonly parent: number;
  readonly token: number;
}

/**
 * Beam search over any `LanguageModel`, with transformers' semantics (`num_beams`,
 * `length_penalty`, `early_stopping`, `num_return_sequences`), or stochastic beam search.
 *
 * **Beam search.** Start from one beam, the prompt. At step t (1-based), every running
 * beam is extended by its 2·width most likely next tokens; of all these candidates the
 * 2·width with the highest total log-probability are taken (ties: earlier beam, then lower
 * token id). In that order, a candidate that ends — its token is a stop token, or t =
 * maxTokens — joins the finished hypotheses if it is among the first `width`, scored
 * Σ logprob / t ** lengthPenalty (only the best `width` finished are kept); the others fill
 * the next step's beams, up to `width`. Then stop as `earlyStopping` says. The result is the
 * `nBest` best finished hypotheses by score.
 *
 * **Stochastic beam search** (Kool, van Hoof and Welling, 2019, "Stochastic Beams and Where
 * to Find Them"): the same search on Gumbel-perturbed keys, which draws `width` sequences
 * without replacement from the model. A child's perturbed value is φ + Gumbel(0), φ its
 * total log-probability; it is conditioned on its parent's key with `shiftGumbel`. Only
 * the `width` best children of a beam matter, so the `width` most likely are perturbed
 * explicitly and the rest of the vocabulary as one Gumbel with location φ_parent + ln(mass
 * left); while that maximum would enter the top `width`, its token is drawn in proportion
 * to its probability (`drawRest`) and the next maximum is a Gumbel truncated below it —
 * exact, and O(V) per expansion. The `width` highest keys among all children and the finished
 * hypotheses survive each step; the search ends when all survivors are finished. The
 * first hypothesis is an exact sample from the model (given `maxTokens`).
 *
 * The prompt's and every beam's context are passed whole to `nextLogits` (one call per
 * running beam per step, into one reused buffer); the vocabulary is never sorted.
 *
 * @example
 * const { hypotheses } = await beamSearch(model, model.encode('The jury said'), { width: 4, maxTokens: 20 });
 * model.decode(hypotheses[0].tokens);
 */
export async function beamSearch(model: LanguageModel, prompt: readonly number[], options: BeamSearchOptions): Promise<BeamSearchResult> {
  const width = checkInteger('beam.width', options.width, 1);
  const maxTokens = checkInteger('beam.maxTokens', options.maxTokens, 1);
  const nBest = checkInteger('beam.nBest', options.nBest ?? 1, 1, width);
  const lengthPenalty = options.lengthPenalty ?? 1;
  if (!Number.isFinite(lengthPenalty)) throw new InvalidParameterError('beam.lengthPenalty', lengthPenalty, 'a finite number');
  const earlyStopping = options.earlyStopping ?? false;
  if (earlyStopping !== true && earlyStopping !== false && earlyStopping !== 'never') {
    throw new InvalidParameterError('beam.earlyStopping', earlyStopping, "true, false or 'never'");
  }
  const stochastic = options.stochastic ?? false;
  const rng = new Rng(checkAtLeast('beam.seed', options.seed ?? 0, 0));
  const stop = new Set(options.stopTokens ?? model.stopTokens);
  const buffer = new Float32Array(model.vocabSize);
  let cumulative: Float64Array | undefined; // stochastic beam search's scratch for `drawRest`
  let modelCalls = 0;

  let running: Beam[] = [{ tokens: [], logprobs: [], logprob: 0, key: 0 }];
  let finished: BeamHypothesis[] = [];
  let steps = 0;
  // Higher key first, then the earlier beam, then the lower token: a total order.
  const byKey = (a: Candidate, b: Candidate): number => b.key - a.key || a.parent - b.parent || a.token - b.token;
  const firstByKey = (items: readonly Candidate[], count: number): Candidate[] => {
    const order = new Int32Array(Math.min(count, items.length));
    const taken = selectFirst(null, items.length, count, (a, b) => byKey(items[a] as Candidate, items[b] as Candidate) < 0, order);
    return Array.from(order.subarray(0, taken), (index) => items[index] as Candidate);
  };

  for (let step = 1; step <= maxTokens; step++) {
    steps = step;
    const candidates: Candidate[] = [];
    for (let parent = 0; parent < running.length; parent++) {
      const beam = running[parent] as Beam;
      const result = model.nextLogits([...prompt, ...beam.tokens], buffer);
      const logits = result instanceof Promise ? await result : result;
      modelCalls++;
      if (stochastic) candidates.push(...perturbedChildren(beam, parent, logits, width, rng, (cumulative ??= new Float64Array(model.vocabSize))));
      else {
        const top = topLogprobs(logits, 2 * width);
        for (let i = 0; i < top.ids.length; i++) {
          const logprob = beam.logprob + (top.logprobs[i] as number);
          candidates.push(child(beam, parent, top.ids[i] as number, top.logprobs[i] as number, logprob));
        }
      }
    }
    const last = step === maxTokens;
    const ends = (candidate: Candidate): boolean => last || stop.has(candidate.token);
    const hypothesis = (candidate: Candidate, score: number): BeamHypothesis => ({
      tokens: candidate.tokens,
      logprobs: candidate.logprobs,
      logprob: candidate.logprob,
      score,
      stopped: stop.has(candidate.token),
    });

    if (stochastic) {
      // Finished hypotheses stay in the pool and compete with the children on their keys.
      const pool = [
        ...finished.map((done, index): Candidate => ({ ...done, key: done.score, parent: -1 - index, token: -1, tokens: [...done.tokens], logprobs: [...done.logprobs] })),
        ...candidates,
      ];
      const survivors = firstByKey(pool, width);
      finished = survivors.filter((item) => item.parent < 0).map((item) => finished[-1 - item.parent] as BeamHypothesis);
      running = [];
      for (const item of survivors) {
        if (item.parent < 0) continue;
        if (ends(item)) finished.push(hypothesis(item, item.key));
        else running.push(item);
      }
      finished.sort((a, b) => b.score - a.score);
      options.onStep?.(step);
      if (running.length === 0) break;
      continue;
    }

    const next: Beam[] = [];
    firstByKey(candidates, 2 * width).forEach((candidate, rank) => {
      if (ends(candidate)) {
        if (rank < width) finished.push(hypothesis(candidate, candidate.logprob / step ** lengthPenalty));
      } else if (next.length < width) next.push(candidate);
    });
    finished = finished.sort((a, b) => b.score - a.score).slice(0, width); // stable: on equal scores the earlier stays ahead
    running = next;
    options.onStep?.(step);
    if (running.length === 0) break;
    if (finished.length >= width) {
      if (earlyStopping === true) break;
      const length = earlyStopping === 'never' && lengthPenalty > 0 ? maxTokens : step;
      const bestPossible = (running[0] as Beam).logprob / length ** lengthPenalty;
      if ((finished[finished.length - 1] as BeamHypothesis).score >= bestPossible) break;
    }
  }
  return { hypotheses: finished.slice(0, nBest), steps, modelCalls };
}

function child(beam: Beam, parent: number, token: number, tokenLogprob: number, key: number): Candidate {
  return {
    parent,
    token,
    tokens: [...beam.tokens, token],
    logprobs: [...beam.logprobs, tokenLogprob],
    logprob: beam.logprob + tokenLogprob,
    key,
  };
}

/**
 * The (at least) `width` children of `beam` that can have the highest perturbed keys, each
 * with its key conditioned on the beam's (see `beamSearch`).
 */
function perturbedChildren(beam: Beam, parent: number, logits: Float32Array, width: number, rng: Rng, cumulative: Float64Array): Candidate[] {
  const top: TopLogprobs = topLogprobs(logits, width);
  const drawn: { token: number; logprob: number; perturbed: number }[] = [];
  let massInside = 0;
  for (let i = 0; i < top.ids.length; i++) {
    const logprob = top.logprobs[i] as number;
    massInside += Math.exp(logprob);
    drawn.push({ token: top.ids[i] as number, logprob, perturbed: gumbel(rng, beam.logprob + logprob) });
  }
  const threshold = (): number => {
    if (drawn.length < width) return -Infinity;
    return drawn.map((item) => item.perturbed).sort((a, b) => b - a)[width - 1] as number;
  };
  let maxPerturbed = Math.max(...drawn.map((item) => item.perturbed));
  let massOutside = 1 - massInside;
  const taken = new Set(drawn.map((item) => item.token));
  if (massOutside > 0 && taken.size < logits.length) {
    const rest = { cumulative, total: -1 };
    let outside = gumbel(rng, beam.logprob + Math.log(massOutside));
    maxPerturbed = Math.max(maxPerturbed, outside);
    while (outside > threshold()) {
      const token = drawRest(logits, top.logSumExp, taken, rest, rng);
      if (token < 0) break;
      const logprob = (logits[token] as number) - top.logSumExp;
      drawn.push({ token, logprob, perturbed: outside });
      taken.add(token);
      massOutside -= Math.exp(logprob);
      if (!(massOutside > 0)) break;
      outside = truncatedGumbel(beam.logprob + Math.log(massOutside), outside, rng);
    }
  }
  return drawn.map((item) => child(beam, parent, item.token, item.logprob, shiftGumbel(beam.key, maxPerturbed, item.perturbed)));
}
