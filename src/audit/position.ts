import type { AnswerToken, AuditPrompt } from './types.js';

/** One candidate token at a position. */
export interface Candidate {
  readonly key: string;
  readonly text: string;
  readonly id?: number;
  /** Natural-log probability under the target's neutral distribution. */
  readonly logprob: number;
}

/**
 * A place where the audit draws first tokens: a prompt and the target's neutral
 * next-token distribution there — the whole of it for local targets (`full`), else its
 * most likely tokens (`head`) and the probability of everything else (`tailMass`).
 */
export interface Position {
  readonly prompt: AuditPrompt;
  /** The tokens the audit counts one by one (cells), most likely first. */
  readonly head: readonly Candidate[];
  /** Neutral probability of every token outside `head` (the "other" cell). */
  readonly tailMass: number;
  /** The whole distribution by token id (local targets): natural-log probabilities, or the raw logits when the target gives them. */
  readonly full?: Float64Array;
  /** Token ids of the prompt, when known (penalties, DRY and no-repeat-ngram count them). */
  readonly promptIds?: readonly number[];
  /** The key of the candidate that ends the text (an answer that stopped at once, `STOP_KEY`, is counted as it). */
  readonly stopKey?: string;
}

/** The key of an answer that ended before its first token: the end-of-sequence token was drawn (servers do not return it). */
export const STOP_KEY = '(stop)';

/** Token texts that look like an end-of-sequence token: `<|end|>`, `</s>`, `<|endoftext|>`, `<eos>`, `<|im_end|>`. */
const SPECIAL = /^<[|/]?[\w.-]{1,24}[|]?>$/;

/** Largest number of cells a position with a full distribution counts one by one (the rest is "other"). */
export const MAX_CELLS = 48;

/** Below this, the mass outside the listed tokens is rounding: the list is the whole vocabulary. */
const COMPLETE = 1e-5;

/**
 * A position from the top alternatives a target returned for the first token of a neutral
 * request (most likely first); the rest of the vocabulary is the tail.
 *
 * @example
 * const position = positionFromTop(prompt, answer.tokens[0].top);
 * position.tailMass; // 1 − the listed probabilities
 */
export function positionFromTop(prompt: AuditPrompt, top: readonly AnswerToken[], promptIds?: readonly number[]): Position {
  const seen = new Set<string>();
  const head: Candidate[] = [];
  for (const token of top) {
    if (token.logprob === undefined || !Number.isFinite(token.logprob) || seen.has(token.key)) continue;
    seen.add(token.key);
    head.push({ key: token.key, text: token.text, ...(token.id === undefined ? {} : { id: token.id }), logprob: token.logprob });
  }
  head.sort((a, b) => b.logprob - a.logprob);
  const listed = head.reduce((sum, candidate) => sum + Math.exp(candidate.logprob), 0);
  const tail = 1 - listed;
  // The end-of-sequence token is never returned as a drawn token: name the one listed candidate that looks like it.
  const special = head.filter((candidate) => SPECIAL.test(candidate.text));
  const stopKey = special.length === 1 ? (special[0] as Candidate).key : undefined;
  return { prompt, head, tailMass: tail > COMPLETE ? tail : 0, ...(promptIds ? { promptIds } : {}), ...(stopKey !== undefined ? { stopKey } : {}) };
}

/**
 * A position from a whole distribution (natural logs by token id, normalised or not): its
 * `MAX_CELLS` most likely tokens are counted one by one (ties by lower id), the rest
 * together. With `raw`, the values are the engine's raw logits and are kept as they are for
 * the samplers (the repetition penalty reads their sign).
 *
 * @example
 * positionFromFull(prompt, logprobs, (id) => model.tokenText(id), model.encode(prompt.text)).head.length; // min(vocabulary, 48)
 */
export function positionFromFull(prompt: AuditPrompt, logprobs: ArrayLike<number>, tokenText: (id: number) => string, promptIds?: readonly number[], raw = false): Position {
  let max = -Infinity;
  for (let id = 0; id < logprobs.length; id++) max = Math.max(max, logprobs[id] as number);
  let total = 0;
  for (let id = 0; id < logprobs.length; id++) total += Math.exp((logprobs[id] as number) - max);
  const shift = max + Math.log(total);
  const full = new Float64Array(logprobs.length);
  for (let id = 0; id < logprobs.length; id++) full[id] = (logprobs[id] as number) - shift;
  const order = Array.from({ length: full.length }, (_, id) => id).filter((id) => (full[id] as number) > -Infinity);
  order.sort((a, b) => (full[b] as number) - (full[a] as number) || a - b);
  const head = order.slice(0, MAX_CELLS).map((id): Candidate => ({ key: `id:${id}`, text: tokenText(id), id, logprob: full[id] as number }));
  const listed = head.reduce((sum, candidate) => sum + Math.exp(candidate.logprob), 0);
  return { prompt, head, tailMass: Math.max(0, 1 - listed), full: raw ? Float64Array.from(logprobs) : full, ...(promptIds ? { promptIds } : {}) };
}

/**
 * Shannon entropy (nats) of a position's neutral distribution, the tail counted as one cell.
 *
 * @example
 * positionEntropy(position); // 1.03 for listed 0.5 and 0.3 and a tail of 0.2
 */
export function positionEntropy(position: Position): number {
  let entropy = 0;
  for (const candidate of position.head) entropy -= Math.exp(candidate.logprob) * candidate.logprob;
  if (position.tailMass > 0) entropy -= position.tailMass * Math.log(position.tailMass);
  return entropy;
}

/**
 * The neutral probability of each cell: the head tokens, then "other".
 *
 * @example
 * neutralCells(position); // Float64Array [0.5, 0.3, 0.2]
 */
export function neutralCells(position: Position): Float64Array {
  const cells = new Float64Array(position.head.length + 1);
  position.head.forEach((candidate, index) => (cells[index] = Math.exp(candidate.logprob)));
  cells[position.head.length] = position.tailMass;
  return cells;
}

/**
 * Labels of a position's cells: each head token's text (or `id N`), then `(other)`.
 *
 * @example
 * cellLabels(position); // ['a', 'b', '(other)']
 */
export function cellLabels(position: Position): string[] {
  return [...position.head.map((candidate) => (candidate.text !== '' ? candidate.text : candidate.id !== undefined ? `id ${candidate.id}` : candidate.key)), '(other)'];
}

/**
 * The cell of an answer's token at this position: its head index, or the last cell ("other").
 * An answer that stopped before its first token counts as the end token, when the position
 * names it.
 *
 * @example
 * cellOf(position, 'id:7'); // 0 when token 7 is the most likely
 */
export function cellOf(position: Position, key: string): number {
  const wanted = key === STOP_KEY && position.stopKey !== undefined ? position.stopKey : key;
  const index = position.head.findIndex((candidate) => candidate.key === wanted);
  return index < 0 ? position.head.length : index;
}
