/**
 * web-llm runs on WebGPU, which these machines lack, so its engine cannot run here. These
 * tests check the adapter against web-llm's published types (`LogitProcessor`,
 * `MLCEngineConfig`, `GenerationConfig` of @mlc-ai/web-llm 0.2.86, checked by `npm run
 * typecheck`) and drive it with a loop that calls it the way web-llm's `lib/index.js` does
 * (`sampleFromRawLogits`: `processLogits` on a CPU copy of the logits, then logit bias,
 * penalties over the tokens that appeared, softmax with temperature, top-p draw;
 * `processSampledToken` with the committed token; `resetState` from `resetChat`). The GPU
 * kernels' arithmetic is written here in plain JavaScript from that reading (unverified
 * against the kernels themselves); pick mode does not depend on it, since only one token is
 * left finite.
 */
// web-llm's root index.d.ts re-exports with extensionless paths, which TypeScript's NodeNext
// resolution cannot follow (everything imported from '@mlc-ai/web-llm' types as any there):
// the published declarations are imported from their own files.
import type { GenerationConfig, MLCEngineConfig } from '@mlc-ai/web-llm/lib/config.js';
import type { LogitProcessor } from '@mlc-ai/web-llm/lib/types.js';
import { describe, expect, it } from 'vitest';
import { knobsLogitProcessor } from '../../src/adapters/webLlm.js';
import { chiSquareTest } from '../../src/analysis/chiSquare.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import { encodeWords, referenceTokens, tableRow, VOCAB_SIZE } from './tinyDecoder.js';

/** A small independent uniform generator (mulberry32) standing in for web-llm's `tvm.uniform`. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Settings = Pick<GenerationConfig, 'temperature' | 'top_p' | 'repetition_penalty' | 'frequency_penalty' | 'presence_penalty' | 'logit_bias'>;

/** The steps of web-llm's MLCEngine around a logit processor, over the tiny bigram table. */
class EmulatedChat {
  private readonly appeared = new Map<number, number>();
  private readonly uniform: () => number;

  constructor(
    private readonly processor: LogitProcessor | undefined,
    private readonly settings: Settings,
    seed: number,
  ) {
    this.uniform = uniforms(seed);
  }

  /** `sampleFromRawLogits` then `commitSampledStep`, for the logits after `last`. */
  step(last: number): number {
    let logits: Float32Array = Float32Array.from(tableRow(last)); // the CPU copy (logitsOnCPU.toArray())
    if (this.processor) logits = this.processor.processLogits(logits);
    for (const [id, bias] of Object.entries<number>(this.settings.logit_bias ?? {})) logits[Number(id)]! += bias;
    const repetition = this.settings.repetition_penalty ?? 1;
    for (const [id, count] of this.appeared) {
      let value = logits[id] as number;
      value = value > 0 ? value / repetition : value * repetition;
      value -= (this.settings.frequency_penalty ?? 0) * count + (this.settings.presence_penalty ?? 0);
      logits[id] = value;
    }
    const temperature = Math.max(1e-6, this.settings.temperature ?? 1);
    const max = Math.max(...logits);
    const weights = Array.from(logits, (value) => Math.exp((value - max) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    const order = weights.map((_, id) => id).sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
    const topP = Math.max(this.settings.top_p ?? 1, 1e-5);
    const kept: number[] = [];
    let mass = 0;
    for (const id of order) {
      kept.push(id);
      mass += (weights[id] as number) / total;
      if (mass >= topP) break;
    }
    const target = this.uniform() * kept.reduce((sum, id) => sum + (weights[id] as number), 0);
    let cumulative = 0;
    let token = kept[kept.length - 1] as number;
    for (const id of kept) {
      cumulative += weights[id] as number;
      if (cumulative > target) {
        token = id;
        break;
      }
    }
    this.appeared.set(token, (this.appeared.get(token) ?? 0) + 1);
    this.processor?.processSampledToken(token);
    return token;
  }

  generate(prompt: readonly number[], steps: number): number[] {
    const tokens: number[] = [];
    let last = prompt[prompt.length - 1] as number;
    for (let i = 0; i < steps; i++) tokens.push((last = this.step(last)));
    return tokens;
  }

  resetChat(): void {
    this.appeared.clear();
    this.processor?.resetState();
  }
}

const CHAIN: ChainSpec = [{ penalties: { repeat: 1.3, presence: 0.4 } }, { top_k: 6 }, { min_p: 0.08 }, { temperature: 0.9 }];

describe('creativity-knobs/web-llm', () => {
  it("is web-llm's LogitProcessor, registered as its MLCEngineConfig expects; web-llm's GenerationConfig has no top_k nor min_p", () => {
    const processor: LogitProcessor = knobsLogitProcessor(CHAIN, { seed: 1 });
    const config: MLCEngineConfig = { logitProcessorRegistry: new Map([['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', processor]]) };
    expect(config.logitProcessorRegistry?.get('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe(processor);
    // @ts-expect-error web-llm's GenerationConfig has no top_k (checked by npm run typecheck)
    const withTopK: GenerationConfig = { top_k: 40 };
    // @ts-expect-error nor min_p
    const withMinP: GenerationConfig = { min_p: 0.05 };
    expect([withTopK, withMinP]).toHaveLength(2);
  });

  it("pick mode: web-llm's loop commits exactly our sampler's tokens, whatever its own temperature, top-p, penalties and bias", () => {
    const prompt = encodeWords('the big red dog');
    const settings: Settings = { temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1, frequency_penalty: 0.5, presence_penalty: 0.5, logit_bias: { '5': 2 } };
    for (const seed of [1, 2, 3]) {
      const processor = knobsLogitProcessor(CHAIN, { seed, prompt });
      const chat = new EmulatedChat(processor, settings, 99);
      const expected = referenceTokens(CHAIN, { seed, prompt, steps: 20 });
      expect(chat.generate(prompt, 20)).toEqual(expected);
      expect(processor.sampler.generated).toEqual(expected);
      chat.resetChat(); // resetState: the same seed again
      expect(chat.generate(prompt, 20)).toEqual(expected);
    }
  });

  it("filter mode: web-llm's own draws (temperature 1, top-p 1) stay in the chain's top-k and follow its probabilities", () => {
    const chain: ChainSpec = [{ top_k: 3 }];
    const processor = knobsLogitProcessor(chain, { mode: 'filter' });
    const chat = new EmulatedChat(processor, { temperature: 1, top_p: 1 }, 7);
    const alone = new EmulatedChat(undefined, { temperature: 1, top_p: 1 }, 7);
    const the = encodeWords('the')[0] as number;
    const counts = new Array<number>(VOCAB_SIZE).fill(0);
    const aloneCounts = new Array<number>(VOCAB_SIZE).fill(0);
    for (let i = 0; i < 300; i++) {
      chat.resetChat();
      counts[chat.step(the)]! += 1;
      aloneCounts[alone.step(the)]! += 1;
    }
    const ours = processor.sampler.distribution(Float32Array.from(tableRow(the)));
    const top3 = encodeWords('a mat on'); // the three largest logits after "the": 1.5, 1.25, 1
    expect(counts.reduce((sum, count, id) => sum + (top3.includes(id) ? 0 : count), 0)).toBe(0);
    expect(chiSquareTest(counts, ours).pValue).toBeGreaterThan(0.001);
    // without the processor, web-llm's temperature and top-p cannot keep its draws in the top 3
    expect(aloneCounts.reduce((sum, count, id) => sum + (top3.includes(id) ? 0 : count), 0)).toBeGreaterThan(100);
  });

  it('filter mode refuses a chain that draws by itself', () => {
    expect(() => knobsLogitProcessor([{ xtc: { threshold: 0.1, probability: 0.5 } }], { mode: 'filter' })).toThrow(/xtc draws by itself/);
  });
});
