/**
 * The AI SDK middleware with the official clients (`ai` 6, @ai-sdk/openai-compatible 2,
 * @ai-sdk/openai 3, @ai-sdk/anthropic 3) against `knobs serve` on 127.0.0.1, through a
 * recording proxy: the body the server receives carries exactly the knobs the target takes,
 * and the result's warnings name every knob it lacks. The expected fields are written out by
 * hand from the servers' documented knobs (vLLM: temperature, top_p, top_k, min_p,
 * repetition_penalty; llama.cpp server: also typical_p, repeat_penalty, dry_*; OpenAI:
 * temperature, top_p and the two penalties; Claude Sonnet 4.5: temperature or top_p, and
 * top_k).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Warning } from 'ai';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { isKnobField } from '../../src/providers/knobFields.js';
import { modelCatalog } from '../../src/models/catalog.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import type { KnobsServer } from '../../src/server/server.js';
import { model as tinyModel, startServer } from '../server/harness.js';
import { INSTALL, peer, type Peer } from './peers.js';
import { startRecordingProxy, type RecordingProxy } from './recordingProxy.js';

type Ai = typeof import('ai');
type Adapter = typeof import('../../src/adapters/aiSdk.js');
interface Sdks {
  ai: Ai;
  compatible: typeof import('@ai-sdk/openai-compatible');
  openai: typeof import('@ai-sdk/openai');
  anthropic: typeof import('@ai-sdk/anthropic');
}

const CHAIN: ChainSpec = [{ penalties: { repeat: 1.1 } }, { dry: { multiplier: 0.8 } }, { top_k: 40 }, { top_p: 0.9 }, { min_p: 0.05 }, { typical_p: 0.95 }, { temperature: 0.8 }];

let sdks: Peer<Sdks>;
let adapter: Adapter;
let serve: KnobsServer;
let proxy: RecordingProxy;

beforeAll(async () => {
  const install = INSTALL.devDependency;
  const parts = await Promise.all([peer<Ai>('ai', install), peer<Sdks['compatible']>('@ai-sdk/openai-compatible', install), peer<Sdks['openai']>('@ai-sdk/openai', install), peer<Sdks['anthropic']>('@ai-sdk/anthropic', install)]);
  const missing = parts.find((part) => !part.ok);
  if (missing && !missing.ok) {
    sdks = missing;
    return;
  }
  const [ai, compatible, openai, anthropic] = parts.map((part) => (part as { module: unknown }).module) as [Ai, Sdks['compatible'], Sdks['openai'], Sdks['anthropic']];
  sdks = { ok: true, module: { ai, compatible, openai, anthropic } };
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  adapter = await import('../../src/adapters/aiSdk.js');
  const names = ['tiny', 'gpt-4o-mini', 'claude-sonnet-4-5'];
  const started = await startServer({ catalog: modelCatalog(Object.fromEntries(names.map((name) => [name, tinyModel]))) });
  serve = started.serve;
  proxy = await startRecordingProxy(started.url);
});
afterAll(async () => {
  await proxy?.close();
  await serve?.close(1000);
});

function needs(context: TestContext): Sdks {
  if (!sdks.ok) context.skip(sdks.reason);
  return (sdks as { module: Sdks }).module;
}

/** The knob fields (and `chain`, `engine`) of the last request the server received. */
function sentKnobs(): Record<string, unknown> {
  const body = proxy.requests.at(-1)?.body ?? {};
  return Object.fromEntries(Object.entries(body).filter(([field]) => isKnobField(field) || field === 'chain' || field === 'engine'));
}

/** The features of the middleware's own warnings. */
function lacking(warnings: readonly Warning[] | undefined): string[] {
  return (warnings ?? [])
    .filter((warning) => (warning.type === 'unsupported' && warning.details?.startsWith('creativity-knobs: ')) === true)
    .map((warning) => (warning as { feature: string }).feature)
    .sort();
}

interface Case {
  readonly name: string;
  readonly model: (s: Sdks) => LanguageModelV3;
  readonly options: Omit<Parameters<Adapter['knobsMiddleware']>[0], 'chain'>;
  readonly path: string;
  readonly sent: Record<string, unknown>;
  readonly lacking: string[];
}

const CASES: Case[] = [
  {
    name: '@ai-sdk/openai-compatible to knobs serve (server kind knobs): the chain itself, nothing lacking',
    model: (s) => s.compatible.createOpenAICompatible({ name: 'knobs', baseURL: `${proxy.url}/v1` })('tiny'),
    options: { provider: 'openai-compatible', server: 'knobs', engine: 'llama.cpp' },
    path: '/v1/chat/completions',
    sent: { chain: CHAIN, engine: 'llama.cpp' },
    lacking: [],
  },
  {
    name: '@ai-sdk/openai-compatible as to vLLM: its extra knobs as body fields; DRY and typical-p lacking',
    model: (s) => s.compatible.createOpenAICompatible({ name: 'vllm', baseURL: `${proxy.url}/v1` })('tiny'),
    options: { provider: 'openai-compatible', server: 'vllm' },
    path: '/v1/chat/completions',
    sent: { temperature: 0.8, top_p: 0.9, top_k: 40, min_p: 0.05, repetition_penalty: 1.1 },
    lacking: ['dry_multiplier', 'typical_p'],
  },
  {
    name: "@ai-sdk/openai-compatible as to llama.cpp's server: every knob, repeat_penalty by its llama.cpp name",
    model: (s) => s.compatible.createOpenAICompatible({ name: 'llamacpp', baseURL: `${proxy.url}/v1` })('tiny'),
    options: { provider: 'openai-compatible', server: 'llama.cpp' },
    path: '/v1/chat/completions',
    sent: { temperature: 0.8, top_p: 0.9, top_k: 40, min_p: 0.05, typical_p: 0.95, repeat_penalty: 1.1, dry_multiplier: 0.8 },
    lacking: [],
  },
  {
    name: '@ai-sdk/openai (chat completions, gpt-4o-mini): temperature and top_p; top-k, min-p, typical-p, DRY and repetition penalty lacking',
    model: (s) => s.openai.createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' }).chat('gpt-4o-mini'),
    options: { provider: 'openai' },
    path: '/v1/chat/completions',
    sent: { temperature: 0.8, top_p: 0.9 },
    lacking: ['dry_multiplier', 'min_p', 'repetition_penalty', 'top_k', 'typical_p'],
  },
  {
    name: '@ai-sdk/anthropic (claude-sonnet-4-5): temperature and top_k; top_p (temperature or top_p) and the rest lacking',
    model: (s) => s.anthropic.createAnthropic({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' })('claude-sonnet-4-5'),
    options: { provider: 'anthropic' },
    path: '/v1/messages',
    sent: { temperature: 0.8, top_k: 40 },
    lacking: ['dry_multiplier', 'min_p', 'repetition_penalty', 'top_p', 'typical_p'],
  },
];

describe('creativity-knobs/ai-sdk against knobs serve', () => {
  for (const testCase of CASES) {
    it(`generateText and streamText: ${testCase.name}`, async (context) => {
      const s = needs(context);
      const { ai } = s;
      const model = ai.wrapLanguageModel({ model: testCase.model(s), middleware: adapter.knobsMiddleware({ chain: CHAIN, ...testCase.options }) });
      const generated = await ai.generateText({ model, prompt: 'The robot', maxOutputTokens: 12, seed: 4, maxRetries: 0 });
      expect(proxy.requests.at(-1)?.path).toBe(testCase.path);
      expect(sentKnobs()).toEqual(testCase.sent);
      expect(lacking(generated.warnings)).toEqual(testCase.lacking);
      // the Messages API carries no seed, so an end-of-text token may come first: then the text is empty
      expect(generated.text.length > 0 || (testCase.options.provider === 'anthropic' && generated.finishReason === 'stop')).toBe(true);

      const streamed = ai.streamText({ model, prompt: 'The robot', maxOutputTokens: 12, seed: 4, maxRetries: 0 });
      let text = '';
      for await (const piece of streamed.textStream) text += piece;
      expect(proxy.requests.at(-1)?.body?.stream).toBe(true);
      expect(sentKnobs()).toEqual(testCase.sent);
      expect(lacking(await streamed.warnings)).toEqual(testCase.lacking);
      if (testCase.options.provider !== 'anthropic') expect(text).toBe(generated.text); // same seed, same chain (the Messages API has no seed)
    });
  }

  it('without the middleware: @ai-sdk/openai drops topK (its own warning), @ai-sdk/anthropic drops topP beside a temperature for Claude', async (context) => {
    const s = needs(context);
    const openai = await s.ai.generateText({ model: s.openai.createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' }).chat('gpt-4o-mini'), prompt: 'The robot', maxOutputTokens: 8, topK: 5, temperature: 0.5, maxRetries: 0 });
    expect(sentKnobs()).toEqual({ temperature: 0.5 });
    expect(openai.warnings).toContainEqual({ type: 'unsupported', feature: 'topK' });
    const anthropic = await s.ai.generateText({ model: s.anthropic.createAnthropic({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' })('claude-sonnet-4-5'), prompt: 'The robot', maxOutputTokens: 8, topP: 0.9, temperature: 0.5, maxRetries: 0 });
    expect(sentKnobs()).toEqual({ temperature: 0.5 });
    expect(anthropic.warnings?.map((warning) => (warning as { feature?: string }).feature)).toContain('topP');
  });

  it("replaces the call's own sampling settings by the chain's, and says so", async (context) => {
    const s = needs(context);
    const model = s.ai.wrapLanguageModel({ model: s.compatible.createOpenAICompatible({ name: 'vllm', baseURL: `${proxy.url}/v1` })('tiny'), middleware: adapter.knobsMiddleware({ chain: 'min_p=0.1,temperature=0.7', provider: 'openai-compatible', server: 'vllm' }) });
    const result = await s.ai.generateText({ model, prompt: 'The robot', maxOutputTokens: 8, temperature: 0.2, topK: 5, maxRetries: 0 });
    expect(sentKnobs()).toEqual({ min_p: 0.1, temperature: 0.7 });
    const replaced = result.warnings?.filter((warning) => warning.type === 'other' && warning.message.startsWith('creativity-knobs: ')).map((warning) => (warning as { message: string }).message);
    expect(replaced).toEqual(["creativity-knobs: temperature = 0.2 of the call replaced by the chain's sampling", "creativity-knobs: topK = 5 of the call replaced by the chain's sampling"]);
  });

  it('refuses, before anything is sent, a chain the target cannot take when asked to', async (context) => {
    const s = needs(context);
    const model = s.ai.wrapLanguageModel({ model: s.openai.createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' }).chat('gpt-4o-mini'), middleware: adapter.knobsMiddleware({ chain: CHAIN, provider: 'openai', unsupported: 'refuse' }) });
    const before = proxy.requests.length;
    await expect(s.ai.generateText({ model, prompt: 'The robot', maxOutputTokens: 8, maxRetries: 0 })).rejects.toThrow(/openai gpt-4o-mini cannot take repetition_penalty = 1\.1, dry_multiplier = 0\.8, top_k = 40, min_p = 0\.05, typical_p = 0\.95 of the chain/);
    expect(proxy.requests.length).toBe(before);
  });

  it('a server of unknown kind gets the extra knobs, each flagged as unverified', async (context) => {
    const s = needs(context);
    const model = s.ai.wrapLanguageModel({ model: s.compatible.createOpenAICompatible({ name: 'somewhere', baseURL: `${proxy.url}/v1` })('tiny'), middleware: adapter.knobsMiddleware({ chain: 'top_k=20,min_p=0.05,temperature=0.9', provider: 'openai-compatible' }) });
    const result = await s.ai.generateText({ model, prompt: 'The robot', maxOutputTokens: 8, maxRetries: 0 });
    expect(sentKnobs()).toEqual({ top_k: 20, min_p: 0.05, temperature: 0.9 });
    expect(result.warnings?.filter((warning) => warning.type === 'compatibility').map((warning) => (warning as { feature: string }).feature)).toEqual(['top_k', 'min_p']);
  });
});
