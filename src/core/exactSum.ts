/**
 * Exact sums of float64 terms, independent of the order in which the terms come.
 *
 * Every term is split (Veltkamp) into two parts of at most 27 significant bits, and each
 * part is added to a float64 bin chosen by its binary exponent. Parts that share an exponent
 * and hold at most 27 bits are multiples of one power of two below 2^(e+1), so up to 2^26 of
 * them add without any rounding: every bin holds its exact sum, whatever the order. A float32
 * term needs no split (24 bits). The value of the whole sum is read from the bins as a
 * double-double with a rigorous error bound (`approximate`), which decides comparisons and
 * rounding in all but razor-edge cases; those are decided with BigInt arithmetic on the bins.
 * Nothing allocates unless a BigInt is needed.
 *
 * This is what the `knobs` profile's cumulative-mass rules (top-p, typical-p) compare: "the
 * smallest prefix whose exact mass reaches p times the exact total".
 *
 * @example
 * const s = new ExactSum();
 * s.add(1); s.add(1e-30); s.add(-1);
 * s.rounded(); // 1e-30 (a float64 sum in that order gives 0)
 */
export class ExactSum {
  private readonly bins = new Float64Array(BINS);
  /** Exponents (bin indices) in use, to clear and read only those. */
  private readonly used = new Int32Array(BINS);
  private usedCount = 0;
  /**
   * Double-double approximation of the sum and its error bound, set by `approximate` (they
   * start as non-integers so that V8 stores them as float64 from the first write: an integer
   * start would make each later double store allocate).
   */
  hi = 0.5;
  lo = 0.5;
  error = 0.5;

  /** Forgets every term. */
  clear(): void {
    const bins = this.bins;
    const used = this.used;
    for (let i = 0; i < this.usedCount; i++) bins[used[i] as number] = 0;
    this.usedCount = 0;
  }

  /** Adds one finite term. */
  add(x: number): void {
    const one = ONE;
    one[0] = x;
    this.addAt(one, 0);
  }

  /**
   * `add(values[i])`: hot callers pass the term in a typed array (V8 boxes a double passed to
   * a call it does not inline).
   *
   * @example
   * s.addAt(weights, 3); // adds weights[3]
   */
  addAt(values: Float64Array, i: number): void {
    const x = values[i] as number;
    if (x === 0) return;
    const c = x * SPLITTER;
    const high = c - (c - x);
    this.part(high);
    this.part(x - high);
  }

  /** Adds a term known to have at most 27 significant bits (any float32 value, or k·w with k < 8 and w a float32). */
  addShort(x: number): void {
    if (x !== 0) this.part(x);
  }

  /** Adds the exact product a·b (Dekker's two-product: both factors finite, no overflow). */
  addProduct(a: number, b: number): void {
    const p = a * b;
    let c = a * SPLITTER;
    const ah = c - (c - a);
    const al = a - ah;
    c = b * SPLITTER;
    const bh = c - (c - b);
    const bl = b - bh;
    this.add(p);
    this.add(ah * bh - p + ah * bl + al * bh + al * bl);
  }

  /** Adds `values[0..count)`, each of at most 27 significant bits (as `addShort`). */
  addShortAll(values: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const x = values[i] as number;
      if (x !== 0) this.part(x);
    }
  }

  /** Adds every term of another sum. */
  addSum(other: ExactSum): void {
    for (let i = 0; i < other.usedCount; i++) {
      const bin = other.used[i] as number;
      this.add(other.bins[bin] as number);
    }
  }

  /** Adds `bins[0..count)`: partial sums that are themselves exact float64 values (any). */
  addAll(values: ArrayLike<number>, count: number): void {
    for (let i = 0; i < count; i++) this.add(values[i] as number);
  }

  /** Whether no term (or only zeros) was added. */
  isEmpty(): boolean {
    return this.usedCount === 0;
  }

  private part(x: number): void {
    F64[0] = x;
    const bin = ((U32[HIGH] as number) >>> 20) & 0x7ff;
    const bins = this.bins;
    if (bins[bin] === 0 && !this.isUsed(bin)) this.used[this.usedCount++] = bin;
    bins[bin] = (bins[bin] as number) + x;
  }

  private isUsed(bin: number): boolean {
    const used = this.used;
    for (let i = 0; i < this.usedCount; i++) if (used[i] === bin) return true;
    return false;
  }

  /**
   * Sets `hi + lo` (a double-double, `hi = fl(hi + lo)`) to the sum and `error` to a bound
   * on |exact − (hi + lo)|.
   */
  approximate(): void {
    // Bins in increasing exponent, cascaded with error-free additions (Ogita, Rump and
    // Oishi's Sum2): the result is within γ(n−1)² Σ|bin| of the exact sum.
    const bins = this.bins;
    const used = this.used;
    const count = this.usedCount;
    sortAscending(used, count);
    let s = 0;
    let c = 0;
    let magnitude = 0;
    for (let i = 0; i < count; i++) {
      const v = bins[used[i] as number] as number;
      const t = s + v;
      const z = t - s;
      c += s - (t - z) + (v - z);
      s = t;
      magnitude += Math.abs(v);
    }
    const hi = s + c;
    const z = hi - s;
    this.lo = s - (hi - z) + (c - z);
    this.hi = hi;
    const gamma = (count * U) / (1 - count * U);
    this.error = 2 * gamma * gamma * magnitude + TINY;
  }

  /**
   * The float64 nearest to the exact sum (ties to even).
   *
   * @example
   * const s = new ExactSum(); s.add(0.1); s.add(0.2); s.rounded(); // 0.30000000000000004 (0.1 + 0.2 exactly, rounded once)
   */
  rounded(): number {
    this.approximate();
    const hi = this.hi;
    if (hi !== 0 && Math.abs(this.lo) + this.error < halfGap(hi)) return hi;
    return bigToDouble(this.big());
  }

  /** The exact sum times 2^1074 (an integer), as a BigInt. */
  big(): bigint {
    let total = 0n;
    for (let i = 0; i < this.usedCount; i++) total += doubleToBig(this.bins[this.used[i] as number] as number);
    return total;
  }

  /**
   * The sign (-1, 0 or 1) of `this + extra − p·other`, exactly: `extra` and `p` are float64
   * values, `other` another exact sum (null for none).
   *
   * @example
   * prefix.compare(0, 0.95, total) >= 0; // the prefix reaches 95% of the total
   */
  compare(extra: number, p: number, other: ExactSum | null): number {
    const args = COMPARE;
    args[0] = extra;
    args[1] = p;
    return this.compareAt(args, other);
  }

  /**
   * `compare(args[0], args[1], other)`: the doubles come in a typed array, so that a hot caller
   * boxes nothing (V8 boxes a double passed to a call it does not inline).
   *
   * @example
   * args[0] = run; args[1] = 0.95; prefix.compareAt(args, total) < 0; // still below 95%
   */
  compareAt(args: Float64Array, other: ExactSum | null): number {
    const extra = args[0] as number;
    const p = args[1] as number;
    this.approximate();
    let bh = 0;
    let bl = 0;
    let berr = 0;
    if (other !== null && p !== 0) {
      other.approximate();
      bh = other.hi;
      bl = other.lo;
      berr = other.error;
    }
    // this + extra − p·other = t + e1 + e2 − pe + lo − p·bl ± (errors of the approximations),
    // where ph + pe = p·bh, s + e1 = hi + extra and t + e2 = s − ph exactly.
    // Error-free transformations, written out (a helper returning a double may box it).
    const ph = p * bh;
    let c = p * SPLITTER;
    const ah = c - (c - p);
    const al = p - ah;
    c = bh * SPLITTER;
    const bhh = c - (c - bh);
    const bhl = bh - bhh;
    const pe = ah * bhh - ph + ah * bhl + al * bhh + al * bhl;
    const hi = this.hi;
    const s = hi + extra;
    let z = s - hi;
    const e1 = hi - (s - z) + (extra - z);
    const t = s - ph;
    z = t - s;
    const e2 = s - (t - z) + (-ph - z);
    const pbl = p * bl;
    const e = e1 + e2 + this.lo - pe - pbl;
    const d = t + e;
    const margin = this.error + Math.abs(p) * berr + 8 * U * (Math.abs(e1) + Math.abs(e2) + Math.abs(this.lo) + Math.abs(pe) + Math.abs(pbl)) + TINY;
    if (d - U * Math.abs(d) > margin) return 1;
    if (d + U * Math.abs(d) < -margin) return -1;
    // Too close to call in floating point: exact integers (scaled by 2^1074, and by 2^-k for p = m·2^k).
    const a = this.big() + doubleToBig(extra);
    let difference = a;
    if (other !== null && p !== 0) {
      decompose(p);
      const b = DECOMPOSED.m * other.big();
      const k = DECOMPOSED.k;
      difference = k >= 0 ? a - (b << BigInt(k)) : (a << BigInt(-k)) - b;
    }
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  }
}

/** Bin count: one per float64 exponent field value. */
const BINS = 2048;
/** Unit roundoff of float64. */
const U = 2 ** -53;
/** Absolute slack for terms in the subnormal range. */
const TINY = 2 ** -1000;
/** Veltkamp splitter for 27-bit halves. */
const SPLITTER = 134217729;
/** Exact values are scaled by 2^SCALE to make integers (the smallest subnormal is 2^-1074). */
const SCALE = 1074;

const COMPARE = new Float64Array(2);
const ONE = new Float64Array(1);
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Half the distance from `x` to its nearest neighbour (a quarter at a power of two, where the gap below is half as wide). */
function halfGap(x: number): number {
  F64[0] = Math.abs(x);
  const high = U32[HIGH] as number;
  const exponent = (high >>> 20) & 0x7ff;
  const powerOfTwo = (high & 0xfffff) === 0 && U32[1 - HIGH] === 0;
  const ulp = 2 ** (Math.max(exponent, 1) - 1075);
  return powerOfTwo ? ulp / 4 : ulp / 2;
}

function sortAscending(values: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
}

/** x · 2^SCALE as a BigInt (x a finite float64). */
function doubleToBig(x: number): bigint {
  if (x === 0) return 0n;
  F64[0] = x;
  const high = U32[HIGH] as number;
  const low = U32[1 - HIGH] as number;
  const exponent = (high >>> 20) & 0x7ff;
  const mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const significand = exponent === 0 ? mantissa : mantissa | (1n << 52n);
  const shift = Math.max(exponent, 1) - 1075 + SCALE;
  const magnitude = significand << BigInt(shift);
  return x < 0 ? -magnitude : magnitude;
}

/** p = m · 2^k exactly (m an integer BigInt), left in DECOMPOSED. */
const DECOMPOSED = { m: 0n, k: 0 };
function decompose(p: number): void {
  F64[0] = p;
  const high = U32[HIGH] as number;
  const low = U32[1 - HIGH] as number;
  const exponent = (high >>> 20) & 0x7ff;
  const mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const m = exponent === 0 ? mantissa : mantissa | (1n << 52n);
  DECOMPOSED.m = p < 0 ? -m : m;
  DECOMPOSED.k = Math.max(exponent, 1) - 1075;
}

/** The float64 nearest to x / 2^SCALE (ties to even; x / 2^SCALE in the normal range or 0). */
function bigToDouble(x: bigint): number {
  if (x === 0n) return 0;
  const negative = x < 0n;
  const magnitude = negative ? -x : x;
  const bits = magnitude.toString(2).length;
  const drop = Math.max(0, bits - 53);
  let top = magnitude;
  if (drop > 0) {
    top = magnitude >> BigInt(drop);
    const rest = magnitude - (top << BigInt(drop));
    const half = 1n << BigInt(drop - 1);
    if (rest > half || (rest === half && (top & 1n) === 1n)) top += 1n;
  }
  const value = Number(top) * 2 ** (drop - SCALE);
  return negative ? -value : value;
}
