import { InvalidParameterError } from '../core/errors.js';
import { findNode, type NgramCounts } from './ngramCounts.js';

const typeMaps = new WeakMap<NgramCounts, Int32Array>();

/** The type id of every token id of a count set (−1 for tokens never seen in training). */
export function tokenTypes(counts: NgramCounts): Int32Array {
  let map = typeMaps.get(counts);
  if (!map) {
    map = new Int32Array(counts.vocabSize).fill(-1);
    counts.types.forEach((token, type) => {
      (map as Int32Array)[token] = type;
    });
    typeMaps.set(counts, map);
  }
  return map;
}

/**
 * The history of the next token after `context`, read as the start of a document: the
 * sequence is the boundary token followed by the context, cut at its latest boundary, and
 * the history is its last `maxLength` tokens (fewer if the sequence is shorter). Writes their
 * type ids (−1 for tokens never seen) right-aligned into `types[maxLength − length …
 * maxLength − 1]` and returns the length. Throws `InvalidParameterError` for a context entry
 * outside [0, vocabSize).
 */
export function historyTypes(counts: NgramCounts, context: readonly number[], maxLength: number, types: Int32Array): number {
  const typeOf = tokenTypes(counts);
  let length = 0;
  for (let i = context.length - 1; i >= -1 && length < maxLength; i--) {
    const token = i < 0 ? counts.boundary : (context[i] as number);
    if (i >= 0 && !(Number.isInteger(token) && token >= 0 && token < counts.vocabSize)) {
      throw new InvalidParameterError(`context[${i}]`, token, `a token id in [0, ${counts.vocabSize})`);
    }
    types[maxLength - 1 - length] = typeOf[token] as number;
    length++;
    if (token === counts.boundary) break;
  }
  return length;
}

/**
 * The trie nodes of the history (see `historyTypes`): `nodes[j]` (j = 1 … L) receives the
 * node at level j of its last j tokens. L, the return value, stops at the history's length
 * or before the first suffix never seen in training (no longer one can have been seen).
 */
export function historyNodes(counts: NgramCounts, context: readonly number[], maxLength: number, nodes: Int32Array, scratch: Int32Array): number {
  const length = historyTypes(counts, context, maxLength, scratch);
  for (let j = 1; j <= length; j++) {
    const node = findNode(counts, scratch, maxLength - j, maxLength);
    if (node < 0) return j - 1;
    nodes[j] = node;
  }
  return length;
}
