/** A strict total order on item ids: `before(a, b)` is true when `a` ranks ahead of `b`. */
export type Before = (a: number, b: number) => boolean;

/**
 * Partial selection, the one used everywhere (samplers, top log-probabilities, beam search,
 * the fast path): the first `count` items by the order `before`, best first, written into
 * `out[0..taken)`, where `taken = min(count, size)`. The items are `ids[0..size)`, or with
 * `ids` null the integers `0..size-1`. A heap of `count` entries (in `out` itself):
 * O(size · log count) comparisons, no allocation. `before` must be a strict total order
 * (no two distinct items tie), such as "higher logit, then lower id".
 *
 * @example
 * const logits = [1, 3, 2, 3];
 * const out = new Int32Array(2);
 * selectFirst(null, 4, 2, (a, b) => logits[a] > logits[b] || (logits[a] === logits[b] && a < b), out); // 2; out = [1, 3]
 */
export function selectFirst(ids: Int32Array | null, size: number, count: number, before: Before, out: Int32Array): number {
  const take = Math.min(count, size);
  if (take <= 0) return 0;
  // A heap on "after": its root is the last of the items kept so far.
  let heapSize = 0;
  for (let i = 0; i < size; i++) {
    const id = ids === null ? i : (ids[i] as number);
    if (heapSize < take) {
      let child = heapSize++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        const parentId = out[parent] as number;
        if (!before(parentId, id)) break;
        out[child] = parentId;
        child = parent;
      }
      out[child] = id;
    } else if (before(id, out[0] as number)) {
      siftDown(out, heapSize, id, before);
    }
  }
  // Heap sort in place: the root (the last kept) goes to the end, best first remains.
  for (let end = take - 1; end > 0; end--) {
    const last = out[0] as number;
    siftDown(out, end, out[end] as number, before);
    out[end] = last;
  }
  return take;
}

/**
 * Puts the first `count` of `ids[0..size)` by `before` at the front, best first; the others
 * follow in no particular order. `heap` is scratch of at least `min(count, size)` entries.
 * Returns the number placed, `min(count, size)`.
 *
 * @example
 * const ids = Int32Array.of(0, 1, 2, 3);
 * partialSort(ids, 4, 2, (a, b) => a > b, new Int32Array(2)); // ids = [3, 2, ...]
 */
export function partialSort(ids: Int32Array, size: number, count: number, before: Before, heap: Int32Array): number {
  const take = selectFirst(ids, size, count, before, heap);
  if (take <= 0) return 0;
  if (take < size) {
    // Every item not kept ranks after the last kept one (the order is total).
    const last = heap[take - 1] as number;
    let outside = 0;
    for (let i = 0; i < size; i++) {
      const id = ids[i] as number;
      if (before(last, id)) ids[outside++] = id;
    }
    ids.copyWithin(take, 0, outside);
  }
  for (let i = 0; i < take; i++) ids[i] = heap[i] as number;
  return take;
}

function siftDown(heap: Int32Array, heapSize: number, id: number, before: Before): void {
  let index = 0;
  while (true) {
    const left = 2 * index + 1;
    if (left >= heapSize) break;
    const right = left + 1;
    let child = left;
    if (right < heapSize && before(heap[left] as number, heap[right] as number)) child = right;
    const childId = heap[child] as number;
    if (!before(id, childId)) break;
    heap[index] = childId;
    index = child;
  }
  heap[index] = id;
}

/**
 * The order "higher value first, then lower id" over `values` indexed by id: the order of
 * logits in every sampler (a closure made once per array, not per call).
 *
 * @example
 * const before = byValueDescending(new Float32Array([1, 3, 3]));
 * before(1, 2); // true: equal values, lower id first
 */
export function byValueDescending(values: ArrayLike<number>): Before {
  return (a, b) => {
    const va = values[a] as number;
    const vb = values[b] as number;
    return va > vb || (va === vb && a < b);
  };
}
