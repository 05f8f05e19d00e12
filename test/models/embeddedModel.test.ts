import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentTokens, embeddedModelPath, embeddedSplit, loadEmbeddedData, type EmbeddedData } from '../../src/models/embeddedData.js';
import { embeddedModel, type EmbeddedModel } from '../../src/models/embeddedModel.js';
import { evaluateEmbedded, type ModelEvaluation } from '../../src/models/evaluateModel.js';
import { kneserNey } from '../../src/models/kneserNey.js';
import { countNgrams } from '../../src/models/ngramCounts.js';
import { END_OF_TEXT, O200K_UNASSIGNED, O200K_VOCAB_SIZE } from '../../src/models/o200kVocabulary.js';
import { sharedEmbeddedData } from './sharedModel.js';

let data: EmbeddedData;
let model: EmbeddedModel;

beforeAll(async () => {
  data = await sharedEmbeddedData();
  model = embeddedModel(data);
});

/**
 * An independent, deliberately plain interpolated modified Kneser-Ney: string-keyed maps,
 * recursion, no trie, following Chen and Goodman's equations directly.
 */
function referenceKneserNey(documents: number[][], order: number, vocabSize: number, boundary: number, excluded: number) {
  const key = (tokens: readonly number[]): string => tokens.join(',');
  const raw: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const document of documents) {
    const sequence = [boundary, ...document, boundary];
    for (let i = 1; i < sequence.length; i++) {
      for (let k = 1; k <= order && i - k + 1 >= 0; k++) {
        const gram = key(sequence.slice(i - k + 1, i + 1));
        raw[k]!.set(gram, (raw[k]!.get(gram) ?? 0) + 1);
      }
    }
  }
  // Counts used at level k: raw at the top, else continuation counts (raw if it starts at the boundary).
  const used: Map<string, number>[] = raw.map((level, k) => {
    if (k === order || k === 0) return level;
    const continuation = new Map<string, number>();
    for (const gram of raw[k + 1]!.keys()) {
      const suffix = gram.split(',').slice(1).join(',');
      continuation.set(suffix, (continuation.get(suffix) ?? 0) + 1);
    }
    const result = new Map<string, number>();
    for (const [gram, count] of level) result.set(gram, k >= 2 && gram.split(',')[0] === String(boundary) ? count : continuation.get(gram)!);
    return result;
  });
  const discounts = used.map((level) => {
    const n = [0, 0, 0, 0, 0];
    for (const count of level.values()) if (count <= 4) n[count]!++;
    const y = n[1]! / (n[1]! + 2 * n[2]!);
    const clamp = (r: number, value: number): number => (Number.isFinite(value) ? Math.min(r, Math.max(0, value)) : 0);
    return [0, clamp(1, 1 - (2 * y * n[2]!) / n[1]!), clamp(2, 2 - (3 * y * n[3]!) / n[2]!), clamp(3, 3 - (4 * y * n[4]!) / n[3]!)];
  });
  const stats = used.map((level) => {
    const byHistory = new Map<string, { total: number; mass: number; followers: Map<number, number> }>();
    for (const [gram, count] of level) {
      const tokens = gram.split(',').map(Number);
      const history = key(tokens.slice(0, -1));
      const entry = byHistory.get(history) ?? { total: 0, mass: 0, followers: new Map() };
      entry.total += count;
      entry.followers.set(tokens[tokens.length - 1]!, count);
      byHistory.set(history, entry);
    }
    return byHistory;
  });
  stats.forEach((level, k) => {
    for (const entry of level.values()) for (const count of entry.followers.values()) entry.mass += discounts[k]![Math.min(count, 3)]!;
  });
  const probability = (k: number, history: number[], token: number): number => {
    if (k === 0) return token === excluded ? 0 : 1 / (vocabSize - 1);
    const entry = stats[k]!.get(key(history));
    const lower = probability(k - 1, history.slice(1), token);
    if (!entry) return lower;
    const count = entry.followers.get(token) ?? 0;
    return Math.max(count - (count ? discounts[k]![Math.min(count, 3)]! : 0), 0) / entry.total + (entry.mass / entry.total) * lower;
  };
  return (context: number[], token: number): number => {
    let sequence = [boundary, ...context];
    sequence = sequence.slice(sequence.lastIndexOf(boundary));
    const history = sequence.slice(-(order - 1));
    return probability(history.length + 1, history, token);
  };
}

describe('the embedded model', () => {
  it('is an o200k model over the whole vocabulary', () => {
    expect(model.id).toBe('embedded:brown-kn4');
    expect(model.vocabSize).toBe(O200K_VOCAB_SIZE);
    expect(model.stopTokens).toEqual([END_OF_TEXT]);
    expect(data.documentIds).toHaveLength(500);
    expect(model.encode('The weather today is')).toEqual([976, 11122, 4044, 382]); // o200k_base ids
  });

  it('gives every token but 199998 non-zero probability, summing to 1 within 1e-5', () => {
    for (const prompt of ['The weather today is', '', 'zxqv 𝔘 <|endoftext|>', 'of the']) {
      const logits = model.nextLogits(model.encode(prompt));
      let sum = 0;
      let zero = 0;
      for (let id = 0; id < logits.length; id++) {
        const p = Math.exp(logits[id] as number);
        sum += p;
        if (!(p > 0)) zero++;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      expect(zero).toBe(1);
      expect(logits[O200K_UNASSIGNED]).toBe(-Infinity);
    }
  });

  it('matches an independent plain implementation of interpolated modified Kneser-Ney', () => {
    // 15 training documents (~35k tokens), scored at contexts taken from a held-out document.
    const { train, heldOut } = embeddedSplit(data);
    const subset = train.slice(0, 15);
    const fast = kneserNey(countNgrams(subset, { order: 4, vocabSize: O200K_VOCAB_SIZE, boundary: END_OF_TEXT }), { excluded: [O200K_UNASSIGNED] });
    const reference = referenceKneserNey(subset, 4, O200K_VOCAB_SIZE, END_OF_TEXT, O200K_UNASSIGNED);
    const document = heldOut[0]!;
    const contexts = [[], document.slice(0, 1), document.slice(0, 2), document.slice(0, 40), subset[3]!.slice(0, 25), subset[7]!.slice(0, 60)];
    for (const context of contexts) {
      const logits = fast.nextLogits(context);
      const candidates = new Set([...subset[3]!.slice(0, 200), ...document.slice(0, 100), END_OF_TEXT, 0, 199_997]);
      for (const token of candidates) {
        const expected = reference(context, token);
        expect(Math.abs(Math.exp(logits[token] as number) - expected) / expected).toBeLessThan(1e-5);
        expect(Math.abs(Math.exp(fast.logProb(context, token)) - expected) / expected).toBeLessThan(1e-12);
      }
    }
  });

  it('takes well under 50 ms per nextLogits call', () => {
    const out = new Float32Array(model.vocabSize);
    const context = documentTokens(data, 9).slice(0, 50);
    const times: number[] = [];
    for (let end = 1; end < context.length; end++) {
      const started = performance.now();
      model.nextLogits(context.slice(0, end), out);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(50);
  });

  it('is rebuilt, identically, when its cache file is corrupt', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'knobs-corrupt-cache-'));
    const path = embeddedModelPath(directory);
    copyFileSync(data.path!, path);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const reasons: string[] = [];
    const rebuilt = await loadEmbeddedData({ cacheDirectory: directory, onBuild: (reason) => reasons.push(reason) });
    expect(reasons).toEqual(['corrupt']);
    expect(rebuilt.source).toBe('built');
    rebuilt.counts.levels.forEach((level, index) => {
      const cached = data.counts.levels[index]!;
      expect(Buffer.from(level.raw.buffer, level.raw.byteOffset, level.raw.byteLength).equals(Buffer.from(cached.raw.buffer, cached.raw.byteOffset, cached.raw.byteLength))).toBe(true);
      expect(Buffer.from(level.words.buffer, level.words.byteOffset, level.words.byteLength).equals(Buffer.from(cached.words.buffer, cached.words.byteOffset, cached.words.byteLength))).toBe(true);
    });
    expect((await loadEmbeddedData({ cacheDirectory: directory })).source).toBe('built'); // one load per process and directory
  });
});

describe('held-out evaluation', () => {
  let result: ModelEvaluation;
  beforeAll(() => {
    result = evaluateEmbedded(data);
  });

  it('scores the 50 held-out documents at orders 1 to 4', () => {
    expect(result.heldOutDocuments).toBe(50);
    expect(result.trainDocuments).toBe(450);
    expect(result.orders.map((row) => row.order)).toEqual([1, 2, 3, 4]);
    const heldOutTokens = embeddedSplit(data).heldOut.reduce((sum, document) => sum + document.length + 1, 0);
    expect(result.heldOutTokens).toBe(heldOutTokens);
  });

  it('perplexity falls from order 1 to 3 (and 4)', () => {
    const [one, two, three, four] = result.orders.map((row) => row.kneserNey);
    expect(two!).toBeLessThan(one!);
    expect(three!).toBeLessThan(two!);
    expect(four!).toBeLessThanOrEqual(three! * 1.01);
  });

  it('Kneser-Ney beats the tuned add-k baseline at orders 2 to 4 by a wide margin', () => {
    for (const row of result.orders.slice(1)) expect(row.addK / row.kneserNey).toBeGreaterThan(3);
  });

  it('at order 1 Kneser-Ney beats add-one and add-0.01, and is within 2% of the tuned add-k', () => {
    const laplace = evaluateEmbedded(data, { orders: [1], k: 1 }).orders[0]!;
    const small = evaluateEmbedded(data, { orders: [1], k: 0.01 }).orders[0]!;
    expect(laplace.kneserNey).toBeLessThan(laplace.addK);
    expect(small.kneserNey).toBeLessThan(small.addK);
    const tuned = result.orders[0]!;
    expect(Math.abs(tuned.kneserNey / tuned.addK - 1)).toBeLessThan(0.02);
  });
});
