import type { Position } from './position.js';

/**
 * A position written as a row of logits that our samplers can run on: index `i` is a token
 * (the head's tokens first, in the position's order, for top-log-probability positions; the
 * token id itself for full distributions), `cellOf[i]` says which counted cell it falls in
 * (the last cell is "other"), and `prompt` holds the prompt's token ids as indices.
 */
export interface ModelSpace {
  readonly logits: Float32Array;
  readonly cellOf: Int32Array;
  readonly cells: number;
  readonly prompt: readonly number[];
  /** Indices from the most to the least likely (ties by lower index), for jitter. */
  readonly rank: Int32Array;
  /** The index of a token id, when the space has it. */
  indexOf(id: number): number | undefined;
  /** What this space assumes about the unseen tail (for notes). */
  readonly assumption: string;
}

/** Most tokens a tail stands for in a concentrated (`tail-at-floor`) space. */
const MAX_TAIL = 4096;
/** How many times more tokens the spread tail spreads the same mass over. */
const SPREAD = 64;
const MAX_SPREAD = 8192;

function rankOf(logits: Float32Array): Int32Array {
  const order = Int32Array.from({ length: logits.length }, (_, index) => index);
  order.sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  return order;
}

function space(logits: Float32Array, cellOf: Int32Array, cells: number, prompt: readonly number[], indexOf: (id: number) => number | undefined, assumption: string): ModelSpace {
  return { logits, cellOf, cells, prompt, rank: rankOf(logits), indexOf, assumption };
}

/**
 * The rows of logits that stand for a position. A full distribution gives one, exact. A
 * top-log-probability position gives two that bracket what the target did not show: the
 * tail's mass `r` as `ceil(r / q_min)` tokens each as likely as the least likely listed
 * one, with the prompt's unlisted tokens among them (`tail-at-floor`); and the same mass
 * spread over 64 times as many tokens, none of them in the prompt (`tail-spread`). A knob
 * whose expected effect differs between the two depends on the tail, which the audit does
 * not see.
 *
 * @example
 * modelSpaces(position).map((s) => s.assumption); // ['tail-at-floor', 'tail-spread'] (or ['full'])
 */
export function modelSpaces(position: Position): ModelSpace[] {
  const k = position.head.length;
  if (position.full) {
    const full = position.full;
    const logits = Float32Array.from(full);
    const cellOf = new Int32Array(full.length).fill(k);
    position.head.forEach((candidate, index) => {
      if (candidate.id !== undefined) cellOf[candidate.id] = index;
    });
    const prompt = (position.promptIds ?? []).filter((id) => id >= 0 && id < full.length);
    return [space(logits, cellOf, k + 1, prompt, (id) => (id >= 0 && id < full.length ? id : undefined), 'full')];
  }
  const byId = new Map<number, number>();
  position.head.forEach((candidate, index) => {
    if (candidate.id !== undefined) byId.set(candidate.id, index);
  });
  const headLogits = position.head.map((candidate) => candidate.logprob);
  const r = position.tailMass;
  if (!(r > 0)) {
    const prompt = (position.promptIds ?? []).flatMap((id) => (byId.has(id) ? [byId.get(id) as number] : []));
    const cellOf = Int32Array.from({ length: k }, (_, index) => index);
    return [space(Float32Array.from(headLogits), cellOf, k + 1, prompt, (id) => byId.get(id), 'listed-tokens-are-all')];
  }
  const floor = Math.exp(Math.min(...headLogits));
  const spaces: ModelSpace[] = [];
  for (const variant of ['tail-at-floor', 'tail-spread'] as const) {
    const base = Math.min(MAX_TAIL, Math.max(1, Math.ceil(r / floor - 1e-9)));
    const m = variant === 'tail-at-floor' ? base : Math.min(MAX_SPREAD, Math.max(256, base * SPREAD));
    const logits = new Float32Array(k + m);
    logits.set(headLogits);
    logits.fill(Math.log(r / m), k);
    const cellOf = new Int32Array(k + m).fill(k);
    for (let index = 0; index < k; index++) cellOf[index] = index;
    const tailIds = new Map<number, number>();
    const prompt: number[] = [];
    for (const id of position.promptIds ?? []) {
      const head = byId.get(id);
      if (head !== undefined) prompt.push(head);
      else if (variant === 'tail-at-floor') {
        if (!tailIds.has(id)) tailIds.set(id, k + (tailIds.size % m));
        prompt.push(tailIds.get(id) as number);
      }
    }
    spaces.push(space(logits, cellOf, k + 1, prompt, (id) => byId.get(id) ?? tailIds.get(id), variant));
  }
  return spaces;
}

/**
 * The same space with every logit moved by ±`delta`, the sign alternating along the rank
 * (`pattern` 0 or 1 says which sign the most likely token gets). A knob's cut that changes
 * under such a nudge sits at a boundary (a tie at top-k's k, a cumulative sum next to p),
 * where rounding decides and the audit should not test.
 *
 * @example
 * jittered(space, 0, 1e-3).logits[space.rank[0]]; // space.logits[space.rank[0]] + 0.001
 */
export function jittered(model: ModelSpace, pattern: 0 | 1, delta: number): ModelSpace {
  const logits = Float32Array.from(model.logits);
  for (let r = 0; r < model.rank.length; r++) {
    const index = model.rank[r] as number;
    logits[index] = (logits[index] as number) + ((r + pattern) % 2 === 0 ? delta : -delta);
  }
  return { ...model, logits };
}
