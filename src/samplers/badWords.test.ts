import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';
import { encodeText } from '../models/o200k.js';
import { badWordsFromText } from './badWords.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('bad_words', () => {
  const logits = new Float32Array(6);
  const chain = [{ bad_words: { sequences: [[4], [1, 2], [0, 1, 5]] } }];

  it('bans one-token words always, longer words only when the history ends with their prefix', () => {
    // history ends with 1: [1, 2] bans 2; [0, 1, 5] needs 0, 1 at the end
    expect(kept(createSampler(chain, { history: [3, 1] }).distribution(logits))).toEqual([0, 1, 3, 5]);
    expect(kept(createSampler(chain, { history: [0, 1] }).distribution(logits))).toEqual([0, 1, 3]);
    expect(kept(createSampler(chain, { history: [2] }).distribution(logits))).toEqual([0, 1, 2, 3, 5]);
  });

  it('vLLM and knobs match the generated tokens only; transformers includes the prompt', () => {
    // the prompt is 0, 1 and nothing is generated yet
    for (const engine of ['knobs', 'vllm']) expect(kept(createSampler(chain, { engine, prompt: [0, 1] }).distribution(logits))).toEqual([0, 1, 2, 3, 5]);
    // transformers.js: [1, 2] bans 2, [0, 1, 5] bans 5
    expect(kept(createSampler(chain, { engine: 'transformers.js', prompt: [0, 1] }).distribution(logits))).toEqual([0, 1, 3]);
    // transformers: [0, 1, 5] (3 ids) is longer than input_ids (2 ids), so it is skipped
    expect(kept(createSampler(chain, { engine: 'hf', prompt: [0, 1] }).distribution(logits))).toEqual([0, 1, 3, 5]);
  });

  it('transformers drops a word equal to [eos]; transformers.js does not', () => {
    expect(kept(createSampler([{ bad_words: { sequences: [[4]] } }], { engine: 'hf', eos: [4] }).distribution(logits))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(kept(createSampler([{ bad_words: { sequences: [[4]] } }], { engine: 'transformers.js', eos: [4] }).distribution(logits))).toEqual([0, 1, 2, 3, 5]);
  });

  it('transformers skips a word as long as the history; vLLM only one longer than the history plus one', () => {
    // history [1]: the word [1, 2] has length 2 > 1 under transformers (skipped), prefix 1 <= 1 under vLLM (banned)
    const pair = [{ bad_words: { sequences: [[1, 2]] } }];
    expect(kept(createSampler(pair, { engine: 'hf', history: [1] }).distribution(logits))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(kept(createSampler(pair, { engine: 'vllm', history: [1] }).distribution(logits))).toEqual([0, 1, 3, 4, 5]);
  });

  it('rejects ids outside the vocabulary and malformed sequences; banning everything is an error', () => {
    expect(() => createSampler([{ bad_words: { sequences: [[9]] } }]).distribution(logits)).toThrow(/bad_words\.sequences .*\[0, 5\]/);
    expect(() => createSampler([{ bad_words: { sequences: [[]] } }])).toThrow(/non-empty arrays of token ids/);
    expect(() => createSampler([{ bad_words: { sequences: [[0], [1]] } }]).distribution(new Float32Array(2))).toThrow(/nothing left/);
  });

  it('words become token sequences as vLLM tokenizes them: with and without a leading space', () => {
    // o200k: "hello" = [24912], " hello" = [40617]: same length, another first id → both
    expect(badWordsFromText(['  hello'], encodeText)).toEqual([[24912], [40617]]);
    // "xylophonic" = [87, 3643, 6502, 18294], " xylophonic" = [1215, 3643, 6502, 18294] → both
    expect(badWordsFromText(['xylophonic'], encodeText)).toEqual([[87, 3643, 6502, 18294], [1215, 3643, 6502, 18294]]);
    // "robotics" = [33218, 1541] but " robotics" = [122246]: another length → the plain form only
    expect(badWordsFromText(['robotics'], encodeText)).toEqual([[33218, 1541]]);
  });
});
