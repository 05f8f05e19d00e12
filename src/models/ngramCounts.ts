import { InvalidParameterError } from '../core/errors.js';

/** Type ids and counts: 32-bit as counted, 16-bit when `narrowCounts` finds every value fits. */
export type NgramArray = Uint32Array | Uint16Array;

/**
 * The k-grams of one length, in lexicographic order of their types, as parallel typed
 * arrays. Level 1 holds every type (index = type id); the k-grams that extend a (k−1)-gram
 * (its children) are the contiguous range `children[node] … children[node + 1] − 1` of the
 * next level, sorted by their last type, so a history is found by binary search.
 */
export interface NgramLevel {
  /** Type id of the last token of each k-gram. */
  readonly words: NgramArray;
  /** How many times each k-gram occurs in the training documents. */
  readonly raw: NgramArray;
  /**
   * Kneser-Ney's modified count (not kept for the highest level): the number of distinct
   * types that precede the k-gram (its continuation count N1+(• g)), except for k-grams
   * that start at a document boundary (k ≥ 2), which cannot be preceded and keep their raw
   * count (as in SRILM and KenLM).
   */
  readonly modified: NgramArray;
  /** Offsets of each k-gram's children in the next level (length `size + 1`; empty for the highest level). */
  readonly children: Uint32Array;
}

/** N-gram counts of a set of documents: a trie over typed arrays. */
export interface NgramCounts {
  /** Longest n-gram counted. */
  readonly order: number;
  /** Token ids are in [0, vocabSize). */
  readonly vocabSize: number;
  /** Token id of the document boundary (start and end of each document). */
  readonly boundary: number;
  /** Token id of each type (the distinct tokens of the training data), ascending. */
  readonly types: Int32Array;
  /** `levels[k - 1]` holds the k-grams, k = 1 … order. */
  readonly levels: readonly NgramLevel[];
  /** Number of predicted tokens (every document's tokens plus its closing boundary). */
  readonly tokenCount: number;
}

/** Options of `countNgrams`. */
export interface CountOptions {
  /** Longest n-gram to count (≥ 1). */
  order: number;
  vocabSize: number;
  /** Token id that marks the start and the end of every document. */
  boundary: number;
  /** Called after each level is counted. */
  onLevel?: (level: number, order: number) => void;
}

/**
 * Counts the n-grams of documents of token ids for Kneser-Ney smoothing.
 *
 * The documents are read as one stream `B d1 B d2 B … dn B` (B = the boundary token). Each
 * token after the first is a prediction, with as history the tokens before it back to (and
 * including) the latest boundary, so no n-gram spans two documents and the boundary acts as
 * both sentence start and end. For k = 1 … order, every prediction with at least k − 1
 * tokens of history adds one to the raw count of the k-gram that ends with it.
 *
 * Sorting is a least-significant-digit radix sort of stream positions by their k types, so
 * counting takes O(order² × tokens + order × types) time and no string keys.
 *
 * @example
 * const counts = countNgrams([[1, 2, 3], [1, 2]], { order: 2, vocabSize: 5, boundary: 0 });
 * counts.levels[1].raw; // counts of the bigrams 0 1, 1 2, 2 0, 2 3, 3 0 in that order: [2, 2, 1, 1, 1]
 */
export function countNgrams(documents: readonly ArrayLike<number>[], options: CountOptions): NgramCounts {
  const { order, vocabSize, boundary } = options;
  if (!Number.isInteger(order) || order < 1 || order > 8) throw new InvalidParameterError('order', order, 'an integer in [1, 8]');
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new InvalidParameterError('vocabSize', vocabSize, 'an integer >= 1');
  if (!Number.isInteger(boundary) || boundary < 0 || boundary >= vocabSize) throw new InvalidParameterError('boundary', boundary, `a token id in [0, ${vocabSize})`);

  let length = 1;
  for (const document of documents) length += document.length + 1;
  const stream = new Int32Array(length);
  const seen = new Uint8Array(vocabSize);
  stream[0] = boundary;
  seen[boundary] = 1;
  let position = 1;
  documents.forEach((document, index) => {
    for (let i = 0; i < document.length; i++) {
      const token = document[i] as number;
      if (!Number.isInteger(token) || token < 0 || token >= vocabSize) {
        throw new InvalidParameterError(`documents[${index}][${i}]`, token, `a token id in [0, ${vocabSize})`);
      }
      stream[position++] = token;
      seen[token] = 1;
    }
    stream[position++] = boundary;
  });

  const typeOf = new Int32Array(vocabSize).fill(-1);
  const typeList: number[] = [];
  for (let token = 0; token < vocabSize; token++) {
    if (seen[token]) {
      typeOf[token] = typeList.length;
      typeList.push(token);
    }
  }
  const types = Int32Array.from(typeList);
  const typeCount = types.length;
  const boundaryType = typeOf[boundary] as number;
  const s = new Uint32Array(length);
  for (let i = 0; i < length; i++) s[i] = typeOf[stream[i] as number] as number;

  // history[i]: how many tokens of history prediction i has (back to the latest boundary).
  const history = new Uint32Array(length);
  let lastBoundary = 0;
  for (let i = 1; i < length; i++) {
    history[i] = i - lastBoundary;
    if (s[i] === boundaryType) lastBoundary = i;
  }

  // Level 1: every type; node id = type id.
  const raw1 = new Uint32Array(typeCount);
  for (let i = 1; i < length; i++) increment(raw1, s[i] as number);
  let previousNodeOf = new Int32Array(s); // node of every position at level 1 (all positions)
  let previousReps = new Uint32Array(typeCount); // unused at level 1
  const levels: { words: Uint32Array; raw: Uint32Array; modified: Uint32Array; children: Uint32Array; reps: Uint32Array }[] = [
    { words: Uint32Array.from(types.keys()), raw: raw1, modified: new Uint32Array(0), children: new Uint32Array(0), reps: previousReps },
  ];
  options.onLevel?.(1, order);

  let scratch = new Uint32Array(0);
  const bucket = new Uint32Array(typeCount + 1);
  for (let k = 2; k <= order; k++) {
    // Predictions with at least k − 1 tokens of history, sorted by their k-gram.
    let events = new Uint32Array(length);
    let n = 0;
    for (let i = 1; i < length; i++) if ((history[i] as number) >= k - 1) events[n++] = i;
    events = events.subarray(0, n);
    if (scratch.length < n) scratch = new Uint32Array(n);
    let source = events;
    let target = scratch.subarray(0, n);
    for (let d = 0; d < k; d++) {
      bucket.fill(0);
      for (let e = 0; e < n; e++) increment(bucket, (s[(source[e] as number) - d] as number) + 1);
      for (let t = 1; t <= typeCount; t++) bucket[t] = (bucket[t] as number) + (bucket[t - 1] as number);
      for (let e = 0; e < n; e++) {
        const event = source[e] as number;
        const key = s[event - d] as number;
        const slot = bucket[key] as number;
        target[slot] = event;
        bucket[key] = slot + 1;
      }
      const swap = source;
      source = target;
      target = swap;
    }
    const sorted = source;

    // Distinct k-grams.
    const nodeOf = new Int32Array(length).fill(-1);
    const repsList = new Uint32Array(n);
    const rawList = new Uint32Array(n);
    let size = 0;
    let previous = -1;
    for (let e = 0; e < n; e++) {
      const event = sorted[e] as number;
      let same = previous >= 0;
      for (let d = 0; same && d < k; d++) same = s[event - d] === s[previous - d];
      if (!same) repsList[size++] = event;
      increment(rawList, size - 1);
      nodeOf[event] = size - 1;
      previous = event;
    }
    const reps = repsList.slice(0, size);
    const raw = rawList.slice(0, size);
    const words = new Uint32Array(size);
    for (let node = 0; node < size; node++) words[node] = s[reps[node] as number] as number;

    // Children of the previous level, and its continuation counts.
    const parentLevel = levels[k - 2] as (typeof levels)[number];
    const parentSize = parentLevel.raw.length;
    const children = new Uint32Array(parentSize + 1);
    const continuation = new Uint32Array(parentSize);
    let lastParent = 0;
    for (let node = 0; node < size; node++) {
      const rep = reps[node] as number;
      const parent = previousNodeOf[rep - 1] as number;
      if (parent < lastParent) throw new Error('internal error: n-gram levels out of order');
      lastParent = parent;
      increment(children, parent + 1);
      increment(continuation, previousNodeOf[rep] as number);
    }
    for (let p = 0; p < parentSize; p++) children[p + 1] = (children[p + 1] as number) + (children[p] as number);
    const modified = continuation;
    if (k - 1 >= 2) {
      for (let p = 0; p < parentSize; p++) {
        if (s[(previousReps[p] as number) - (k - 2)] === boundaryType) modified[p] = parentLevel.raw[p] as number;
      }
    }
    levels[k - 2] = { ...parentLevel, children, modified };
    levels.push({ words, raw, modified: new Uint32Array(0), children: new Uint32Array(0), reps });
    previousNodeOf = nodeOf;
    previousReps = reps;
    options.onLevel?.(k, order);
  }
  return {
    order,
    vocabSize,
    boundary,
    types,
    levels: levels.map(({ words, raw, modified, children }) => ({ words, raw, modified, children })),
    tokenCount: length - 1,
  };
}

/**
 * The same counts with every word, raw and modified array that holds only values below
 * 65536 stored as a Uint16Array: half the memory (the embedded model's cache shrinks from
 * ~42 to ~32 MB, and reading it costs memory bandwidth), the same numbers.
 *
 * @example
 * narrowCounts(countNgrams([[1, 2, 3]], { order: 2, vocabSize: 5, boundary: 0 })).levels[1].raw; // Uint16Array
 */
export function narrowCounts(counts: NgramCounts): NgramCounts {
  const narrow = (array: NgramArray): NgramArray => {
    if (array instanceof Uint16Array) return array;
    for (let i = 0; i < array.length; i++) if ((array[i] as number) > 0xffff) return array;
    return Uint16Array.from(array);
  };
  return { ...counts, levels: counts.levels.map((level) => ({ words: narrow(level.words), raw: narrow(level.raw), modified: narrow(level.modified), children: level.children })) };
}

function increment(array: Uint32Array, index: number): void {
  array[index] = (array[index] as number) + 1;
}

/**
 * Finds the node of a history (a sequence of type ids) at level `history.length`, or −1.
 * The empty history has no node (it is the root).
 */
export function findNode(counts: NgramCounts, history: ArrayLike<number>, start = 0, end = history.length): number {
  if (end <= start) return -1;
  let node = history[start] as number;
  if (node < 0 || node >= counts.types.length) return -1;
  for (let j = start + 1; j < end; j++) {
    const level = counts.levels[j - start - 1] as NgramLevel;
    node = findChild(counts.levels[j - start] as NgramLevel, level.children[node] as number, level.children[node + 1] as number, history[j] as number);
    if (node < 0) return -1;
  }
  return node;
}

/** Binary search of `word` among the nodes lo … hi − 1 of a level; the node index or −1. */
export function findChild(level: NgramLevel, lo: number, hi: number, word: number): number {
  const words = level.words;
  let low = lo;
  let high = hi - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = words[mid] as number;
    if (value < word) low = mid + 1;
    else if (value > word) high = mid - 1;
    else return mid;
  }
  return -1;
}
