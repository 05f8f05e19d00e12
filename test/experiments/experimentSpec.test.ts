import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPaidTarget, parseExperimentSpec, readExperimentSpec } from '../../src/experiments/experimentSpec.js';

describe('parseExperimentSpec', () => {
  it('fills defaults: name, prompt ids, the local model, concurrency, one point, n = 1', () => {
    const spec = parseExperimentSpec({ prompt: 'Hi', providers: ['local'] });
    expect(spec).toEqual({
      name: 'experiment',
      prompts: [{ id: 'p1', prompt: 'Hi' }],
      targets: [{ provider: 'local', model: 'embedded', label: 'local/embedded', concurrency: 2 }],
      points: [{ settings: {} }],
      n: 1,
      logprobs: true,
    });
  });

  it('reads provider shorthands and objects with limits', () => {
    const spec = parseExperimentSpec({
      prompts: ['Hi'],
      providers: ['openai:gpt-4o-mini', { provider: 'openai-compatible', model: 'embedded', base_url: 'http://127.0.0.1:8080/v1', concurrency: 8, rate_limit: 120, label: 'serve' }],
    });
    expect(spec.targets).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', label: 'openai/gpt-4o-mini', concurrency: 4 },
      { provider: 'openai-compatible', model: 'embedded', label: 'serve', concurrency: 8, baseUrl: 'http://127.0.0.1:8080/v1', requestsPerMinute: 120 },
    ]);
  });

  it('makes points from the grid, then chains, then explicit points, with fixed settings added', () => {
    const spec = parseExperimentSpec({
      prompts: ['Hi'],
      providers: ['local'],
      settings: { top_p: 1 },
      grid: { temperature: [0, 1] },
      chains: ['top_k=40,temperature=0.8'],
      points: [{ settings: { min_p: 0.1 } }],
    });
    expect(spec.points).toEqual([
      { settings: { top_p: 1, temperature: 0 } },
      { settings: { top_p: 1, temperature: 1 } },
      { settings: { top_p: 1 }, chain: 'top_k=40,temperature=0.8' },
      { settings: { top_p: 1, min_p: 0.1 } },
    ]);
  });

  it('gives each prompt the shared system prompt unless it has its own', () => {
    const spec = parseExperimentSpec({ system: 'S', prompts: ['a', { id: 'b', prompt: 'b', system: 'T' }], providers: ['local'] });
    expect(spec.prompts).toEqual([
      { id: 'p1', prompt: 'a', system: 'S' },
      { id: 'b', prompt: 'b', system: 'T' },
    ]);
  });

  it('names the bad field, the value and what is accepted', () => {
    const base = { prompts: ['Hi'], providers: ['local'] };
    expect(() => parseExperimentSpec({ ...base, temprature: 1 }, 'x.yaml')).toThrow('x.yaml: unknown key "temprature": expected one of name, prompts,');
    expect(() => parseExperimentSpec({ ...base, n: 0 }, 'x.yaml')).toThrow('x.yaml: n = 0 is out of range: expected an integer in [1, 100000]');
    expect(() => parseExperimentSpec({ ...base, providers: ['gemini'] }, 'x.yaml')).toThrow('x.yaml: providers[0].provider = "gemini": expected one of openai, anthropic, openai-compatible, local');
    expect(() => parseExperimentSpec({ ...base, providers: ['openai'] }, 'x.yaml')).toThrow('x.yaml: providers[0]: openai needs a model');
    expect(() => parseExperimentSpec({ ...base, providers: [{ provider: 'openai-compatible', model: 'm' }] }, 'x.yaml')).toThrow(/needs base_url/);
    expect(() => parseExperimentSpec({ ...base, grid: 'temperature=a' }, 'x.yaml')).toThrow('x.yaml: grid: grid temperature value = "a" is out of range: expected a finite number');
    expect(() => parseExperimentSpec({ ...base, chains: ['top_q=1'] }, 'x.yaml')).toThrow(/x.yaml: chains\[0\]: .*top_q/);
    expect(() => parseExperimentSpec({ ...base, prompts: [] }, 'x.yaml')).toThrow(/expected a non-empty list of prompts/);
    expect(() => parseExperimentSpec({ ...base, providers: ['local', 'local'] }, 'x.yaml')).toThrow(/"local\/embedded" is listed twice/);
    expect(() => parseExperimentSpec({ ...base, top_logprobs: 21 }, 'x.yaml')).toThrow('top_logprobs = 21 is out of range: expected an integer in [0, 20]');
  });
});

describe('readExperimentSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knobs-spec-'));

  it('reads YAML and JSON', async () => {
    const yaml = join(dir, 'a.yaml');
    writeFileSync(yaml, 'name: sweep\nprompts:\n  - The robot\nproviders: [local]\ngrid: temperature=0,0.5,1\nn: 3\nmax_tokens: 20\nseed: 7\n');
    const spec = await readExperimentSpec(yaml);
    expect(spec.name).toBe('sweep');
    expect(spec.points).toHaveLength(3);
    expect([spec.n, spec.maxTokens, spec.seed]).toEqual([3, 20, 7]);
    const json = join(dir, 'a.json');
    writeFileSync(json, JSON.stringify({ prompts: ['x'], providers: ['local'] }));
    expect((await readExperimentSpec(json)).prompts[0]?.prompt).toBe('x');
  });

  it('names a file that is missing or does not parse', async () => {
    await expect(readExperimentSpec(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read experiment spec ".*missing.yaml": ENOENT/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    await expect(readExperimentSpec(bad)).rejects.toThrow(/is not valid JSON/);
  });
});

describe('isPaidTarget', () => {
  it('counts remote APIs, not the local provider or servers on this machine', () => {
    expect(isPaidTarget({ provider: 'openai', model: 'gpt-4o-mini' })).toBe(true);
    expect(isPaidTarget({ provider: 'anthropic', model: 'claude-haiku-4-5' })).toBe(true);
    expect(isPaidTarget({ provider: 'local', model: 'embedded' })).toBe(false);
    expect(isPaidTarget({ provider: 'openai-compatible', model: 'x', baseUrl: 'http://127.0.0.1:8080/v1' })).toBe(false);
    expect(isPaidTarget({ provider: 'openai', model: 'x', baseUrl: 'http://localhost:8080/v1' })).toBe(false);
    expect(isPaidTarget({ provider: 'openai-compatible', model: 'x', baseUrl: 'https://api.example.com/v1' })).toBe(true);
  });
});
