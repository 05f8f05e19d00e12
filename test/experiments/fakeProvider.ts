import type { CompletionRequest, CompletionResult, ModelCapabilities, Provider } from '../../src/providers/types.js';

/** What the fake provider answers to one request (after `delayMs`). */
export type FakeAnswer = (request: CompletionRequest, call: number) => Partial<CompletionResult> | Error;

/**
 * A provider for tests: answers with `text(request)` (by default the prompt, the
 * temperature and the seed), or with whatever `answer` returns or throws, and records
 * every request it got.
 */
export function fakeProvider(options: { answer?: FakeAnswer; delayMs?: number; logprobs?: boolean; name?: string } = {}): Provider & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  const name = options.name ?? 'fake';
  return {
    name,
    requests,
    capabilities: (model: string): ModelCapabilities => ({
      provider: name,
      model,
      known: true,
      family: 'fake',
      knobs: { temperature: { min: 0, max: 2 } },
      refused: {},
      exclusive: [],
      options: [],
      passThrough: false,
      logprobs: { supported: options.logprobs ?? false, maxTop: 5 },
      maxN: 1,
      seed: true,
      chain: false,
      notes: [],
    }),
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      requests.push(request);
      const call = requests.length;
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const custom = options.answer?.(request, call);
      if (custom instanceof Error) throw custom;
      const text = `${request.prompt ?? request.messages?.at(-1)?.content} t=${String(request.settings?.temperature)} s=${String(request.seed)}`;
      return {
        provider: name,
        model: request.model,
        status: 'ok',
        completions: [{ text, finishReason: 'stop' }],
        notes: [],
        sent: { temperature: request.settings?.temperature },
        usage: { promptTokens: 3, completionTokens: 4 },
        latencyMs: 1.5,
        ...custom,
      };
    },
  };
}
