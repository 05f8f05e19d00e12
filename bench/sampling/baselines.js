// The plain-JavaScript implementations the benchmark compares with. Each draws with
// `random()` (a seeded generator), like a straightforward port would.

/** JS single pass max + Σ Math.exp((x - max) / t): the cost of touching every token with exp. */
export function maxExpPass(logits, t) {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] - max) / t);
  return sum;
}

/** JS read pass: the sum of the logits (the least any sampler must do). */
export function readPass(logits) {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += logits[i];
  return sum;
}

/** Sorts every index by logit (descending): the textbook way. */
function sortedIndices(values) {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a]);
  return order;
}

function drawFrom(order, weights, count, random) {
  let total = 0;
  for (let j = 0; j < count; j++) total += weights[order[j]];
  let r = random() * total;
  for (let j = 0; j < count; j++) {
    r -= weights[order[j]];
    if (r <= 0) return order[j];
  }
  return order[count - 1];
}

/** Naive P1: temperature → softmax over the vocabulary → full sort → top-p → draw. */
export function naiveTopP(logits, t, p, random) {
  const size = logits.length;
  const scaled = new Float64Array(size);
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    scaled[i] = logits[i] / t;
    if (scaled[i] > max) max = scaled[i];
  }
  const weights = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += weights[i] = Math.exp(scaled[i] - max);
  const order = sortedIndices(scaled);
  let cumulative = 0;
  let count = 0;
  while (count < size) {
    cumulative += weights[order[count++]] / sum;
    if (cumulative >= p) break;
  }
  return drawFrom(order, weights, count, random);
}

/** Naive P2: full sort → top-k → softmax → top-p → min-p → temperature → draw. */
export function naiveTopKChain(logits, k, p, minP, t, random) {
  const order = sortedIndices(logits).slice(0, k);
  const max = logits[order[0]];
  const weights = new Float64Array(logits.length);
  let sum = 0;
  for (const id of order) sum += weights[id] = Math.exp(logits[id] - max);
  let cumulative = 0;
  let count = 0;
  while (count < order.length) {
    cumulative += weights[order[count++]] / sum;
    if (cumulative >= p) break;
  }
  const threshold = max + Math.log(minP);
  let kept = 0;
  while (kept < count && logits[order[kept]] >= threshold) kept++;
  for (let j = 0; j < kept; j++) weights[order[j]] = Math.exp((logits[order[j]] - max) / t);
  return drawFrom(order, weights, Math.max(kept, 1), random);
}

/** Naive P3: a plain argmax loop. */
export function naiveArgmax(logits) {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}
