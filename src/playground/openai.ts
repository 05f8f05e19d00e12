import OpenAI from 'openai';
import { ApiError } from '../http/apiError.js';

/** The top alternatives of the first token a remote model would write, with natural-log probabilities. */
export interface TopLogprobs {
  readonly model: string;
  readonly tokens: readonly string[];
  readonly logprobs: readonly number[];
}

/** Looks up the top log-probabilities of the next token after a prompt. */
export type TopLogprobsSource = (prompt: string, model: string) => Promise<TopLogprobs>;

/** OpenAI accepts at most this many `top_logprobs`. */
export const OPENAI_MAX_TOP_LOGPROBS = 20;

/**
 * Asks the OpenAI Chat Completions API for one token with `logprobs: true,
 * top_logprobs: 20` and returns the alternatives of that first token (the API gives no
 * more than 20, so the page renormalises over them and says how much mass they cover).
 * The key is only handed to the SDK, never logged or sent to the page.
 *
 * @example
 * const source = openaiTopLogprobs(process.env.OPENAI_API_KEY!);
 * await source('The capital of France is', 'gpt-4o-mini'); // { tokens: [' Paris', ...], logprobs: [-0.01, ...] }
 */
export function openaiTopLogprobs(apiKey: string, options: { baseURL?: string; fetch?: typeof fetch; timeoutMs?: number } = {}): TopLogprobsSource {
  const client = new OpenAI({ apiKey, baseURL: options.baseURL, fetch: options.fetch, timeout: options.timeoutMs ?? 30_000, maxRetries: 1 });
  return async (prompt, model) => {
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: prompt }],
        max_completion_tokens: 1,
        logprobs: true,
        top_logprobs: OPENAI_MAX_TOP_LOGPROBS,
      });
    } catch (error) {
      const status = (error as { status?: number }).status;
      throw new ApiError(502, `OpenAI request failed${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`);
    }
    const first = response.choices[0]?.logprobs?.content?.[0];
    if (!first || first.top_logprobs.length === 0) {
      throw new ApiError(502, `OpenAI model ${JSON.stringify(model)} returned no log-probabilities: expected a model that supports logprobs (e.g. gpt-4o-mini)`);
    }
    return {
      model: response.model,
      tokens: first.top_logprobs.map((entry) => entry.token),
      logprobs: first.top_logprobs.map((entry) => entry.logprob),
    };
  };
}
