import { describe, expect, it } from 'vitest';
import { completionsByTemperature, DEMO_PROMPTS, nucleusByTemperature } from '../../src/demos/modelDemos.js';
import { formatCompletionsByTemperature, formatNucleusByTemperature } from '../../src/cli/modelDemoText.js';
import { embeddedModel } from '../../src/models/embeddedModel.js';
import { generate } from '../../src/models/generate.js';
import { sharedEmbeddedData } from './sharedModel.js';

describe('model demonstrations', () => {
  it('nucleus size at top-p 0.9 grows with temperature after every prompt', async () => {
    const model = embeddedModel(await sharedEmbeddedData());
    const demo = await nucleusByTemperature(model, { temperatures: [0.3, 0.7, 1, 1.3] });
    expect(demo.prompts.map((row) => row.prompt)).toEqual([...DEMO_PROMPTS]);
    for (const row of demo.prompts) {
      expect(row.sizes[0]).toBeGreaterThanOrEqual(1);
      for (let i = 1; i < row.sizes.length; i++) expect(row.sizes[i]!).toBeGreaterThanOrEqual(row.sizes[i - 1]!);
      expect(row.sizes[row.sizes.length - 1]!).toBeGreaterThan(row.sizes[0]! * 10);
    }
    const text = formatNucleusByTemperature(demo);
    expect(text).toContain('"The weather today is"');
    expect(text).toContain('T=1.3');
  });

  it('completes one prompt at several temperatures; T = 0 is the greedy completion', async () => {
    const model = embeddedModel(await sharedEmbeddedData());
    const demo = await completionsByTemperature(model, { temperatures: [0, 1], maxTokens: 8, seed: 3 });
    const [greedy] = await generate(model, demo.prompt, [{ greedy: true }], { maxTokens: 8 });
    expect(demo.completions[0]!.text).toBe(greedy!.text);
    expect(formatCompletionsByTemperature(demo)).toContain(JSON.stringify(greedy!.text));
  });
});
