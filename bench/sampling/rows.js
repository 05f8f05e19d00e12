// Seeded Zipf-shaped logit rows for the sampling benchmark.

/** mulberry32: a small seeded generator (data only; the samplers use their own Rng). */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Logits `3 - a·ln(rank)` with the ranks shuffled by `seed` (float32). */
export function zipfRow(size, a, seed) {
  const random = mulberry32(seed);
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const row = new Float32Array(size);
  for (let i = 0; i < size; i++) row[order[i]] = 3 - a * Math.log(i + 1);
  return row;
}

/** Top-1 probability of Zipf logits with exponent `a` over `size` tokens at temperature `t`. */
function topProbability(size, a, t) {
  let sum = 0;
  for (let rank = 1; rank <= size; rank++) sum += Math.exp((-a * Math.log(rank)) / t);
  return 1 / sum;
}

/** The exponent that gives the top token probability `target` at temperature `t` (bisection). */
export function calibrate(size, target = 0.58, t = 0.8) {
  let lo = 0.5;
  let hi = 4;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (topProbability(size, mid, t) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** `count` seeded rows of `size` tokens with top-1 probability 0.58 at T = 0.8. */
export function zipfRows(size, count) {
  const a = calibrate(size);
  return { a, rows: Array.from({ length: count }, (_, i) => zipfRow(size, a, 1000 + i)) };
}
