import type { ServerResponse } from 'node:http';
import { CHAT_END_OF_TURN, renderChatPrompt } from '../providers/chatTemplate.js';
import type { Generation } from '../providers/generateCompletion.js';
import type { ChatMessage, TokenInfo } from '../providers/types.js';
import { ApiError } from '../http/apiError.js';
import { resolveServedModel, responseId, runChoices, type ServeContext } from './context.js';
import { booleanField, checkAllowedTokenIds, checkLogitBiasIds, integerField, numberField, refuseUnknownFields, requiredString, samplingPlan, stopField } from './fields.js';
import { sendJson } from '../http/sendJson.js';
import { startEventStream } from './eventStream.js';

type Body = Record<string, unknown>;

const COMMON_FIELDS = ['model', 'n', 'seed', 'stop', 'stream', 'stream_options', 'max_tokens', 'chain', 'engine', 'logprobs_mode', 'return_tokens_as_token_ids', 'user', 'metadata', 'store', 'service_tier'];
/** The fields `/v1/chat/completions` accepts besides the knob fields (docs/serving.md lists them). */
export const CHAT_FIELDS: ReadonlySet<string> = new Set([...COMMON_FIELDS, 'messages', 'max_completion_tokens', 'logprobs', 'top_logprobs', 'response_format', 'tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls', 'audio', 'modalities', 'prediction', 'reasoning_effort', 'web_search_options']);
/** The fields `/v1/completions` accepts besides the knob fields. */
export const COMPLETION_FIELDS: ReadonlySet<string> = new Set([...COMMON_FIELDS, 'prompt', 'logprobs', 'echo', 'suffix', 'best_of']);
const UNSUPPORTED = ['tools', 'tool_choice', 'functions', 'function_call', 'audio', 'modalities', 'prediction', 'web_search_options'];

const unrecognized = (field: string): string => `Unrecognized request argument supplied: ${field}`;

/** The OpenAI fields whose ranges the API fixes (extra knobs are checked by their samplers). */
function checkOpenAIRanges(body: Body): void {
  numberField(body, 'temperature', 0, 2);
  numberField(body, 'top_p', 0, 1);
  numberField(body, 'frequency_penalty', -2, 2);
  numberField(body, 'presence_penalty', -2, 2);
  const bias = body.logit_bias;
  if (bias !== undefined && bias !== null) {
    if (typeof bias !== 'object' || Array.isArray(bias)) throw new ApiError(400, 'logit_bias must be an object of token id → bias in [-100, 100]', { param: 'logit_bias' });
    for (const [key, value] of Object.entries(bias)) {
      if (!/^\d+$/.test(key)) throw new ApiError(400, `logit_bias key ${JSON.stringify(key)} is invalid: expected a token id (an integer >= 0)`, { param: 'logit_bias' });
      if (typeof value !== 'number' || !(value >= -100 && value <= 100)) throw new ApiError(400, `logit_bias[${key}] = ${JSON.stringify(value)} is invalid: expected a number in [-100, 100]`, { param: 'logit_bias' });
    }
  }
}

function streamOptions(body: Body): { stream: boolean; includeUsage: boolean } {
  const stream = booleanField(body, 'stream') ?? false;
  const options = body.stream_options;
  if (options === undefined || options === null) return { stream, includeUsage: false };
  if (typeof options !== 'object' || Array.isArray(options)) throw new ApiError(400, 'stream_options must be an object such as {"include_usage": true}', { param: 'stream_options' });
  if (!stream) throw new ApiError(400, 'stream_options is only allowed when stream is true', { param: 'stream_options' });
  return { stream, includeUsage: booleanField(options as Body, 'include_usage') ?? false };
}

function messagesField(body: Body): ChatMessage[] {
  const messages = body.messages;
  if (messages === undefined || messages === null) throw new ApiError(400, 'messages is required', { param: 'messages', code: 'missing_required_parameter' });
  if (!Array.isArray(messages) || messages.length === 0) throw new ApiError(400, 'messages must be a non-empty array of {role, content}', { param: 'messages' });
  return messages.map((message: unknown, index): ChatMessage => {
    const where = `messages[${index}]`;
    if (message === null || typeof message !== 'object') throw new ApiError(400, `${where} must be an object with role and content`, { param: where });
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
      throw new ApiError(400, `${where}.role = ${JSON.stringify(role)} is not supported: expected system, developer, user or assistant`, { param: `${where}.role` });
    }
    return { role: role === 'developer' ? 'system' : role, content: textContent(content, `${where}.content`) };
  });
}

function textContent(content: unknown, where: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, index) => {
        const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
        if (type !== 'text' || typeof text !== 'string') throw new ApiError(400, `${where}[${index}] must be a text part {"type": "text", "text": ...}: the local models read text only`, { param: `${where}[${index}]` });
        return text;
      })
      .join('');
  }
  throw new ApiError(400, `${where} must be a string or an array of text parts`, { param: where });
}

function maxTokensField(body: Body, names: readonly string[], fallback: number, limit: number): number {
  for (const name of names) {
    const value = integerField(body, name, 1, limit);
    if (value !== undefined) return value;
  }
  return Math.min(fallback, limit);
}

/**
 * How a token is named in log-probabilities: its text, or `token_id:N` when the request
 * asked `return_tokens_as_token_ids` (vLLM's extension, for clients that need the ids).
 */
function tokenName(token: { token: string; id?: number }, asIds: boolean): string {
  return asIds && token.id !== undefined ? `token_id:${token.id}` : token.token;
}

function chatLogprob(token: TokenInfo, asIds = false): Record<string, unknown> {
  return {
    token: tokenName(token, asIds),
    logprob: token.logprob,
    bytes: token.bytes ?? null,
    id: token.id,
    top_logprobs: (token.top ?? []).map((alternative) => ({ token: tokenName(alternative, asIds), logprob: alternative.logprob, bytes: [...Buffer.from(alternative.token, 'utf8')], id: alternative.id })),
  };
}

function usageOf(promptTokens: number, generations: readonly Generation[]): Record<string, number> {
  const completion = generations.reduce((sum, generation) => sum + generation.completionTokens, 0);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}

function fingerprint(modelId: string, engine: string): string {
  return `knobs:${modelId}:${engine}`;
}

/** POST /v1/chat/completions. */
export async function chatCompletions(body: Body, context: ServeContext, response: ServerResponse, signal: AbortSignal): Promise<void> {
  refuseUnknownFields(body, CHAT_FIELDS, unrecognized);
  for (const field of UNSUPPORTED) if (body[field] !== undefined && body[field] !== null) throw new ApiError(400, `${field} is not supported by knobs serve: the local models generate plain text`, { param: field });
  const format = body.response_format as { type?: unknown } | undefined | null;
  if (format !== undefined && format !== null && format.type !== 'text') throw new ApiError(400, 'response_format is not supported: only {"type": "text"}', { param: 'response_format' });
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null && body.reasoning_effort !== 'none') {
    throw new ApiError(400, `reasoning_effort = ${JSON.stringify(body.reasoning_effort)} is not supported: the local models do not reason (expected "none")`, { param: 'reasoning_effort' });
  }
  const modelName = requiredString(body, 'model');
  const messages = messagesField(body);
  checkOpenAIRanges(body);
  const n = integerField(body, 'n', 1, 128) ?? 1;
  const maxTokens = maxTokensField(body, ['max_completion_tokens', 'max_tokens'], 256, context.maxTokensLimit);
  const stop = stopField(body, 'stop', 4);
  const logprobs = booleanField(body, 'logprobs') ?? false;
  const topLogprobs = integerField(body, 'top_logprobs', 0, 20);
  const asIds = booleanField(body, 'return_tokens_as_token_ids') ?? false;
  const named = (token: TokenInfo): Record<string, unknown> => chatLogprob(token, asIds);
  if (topLogprobs !== undefined && !logprobs) throw new ApiError(400, 'top_logprobs requires logprobs to be true', { param: 'top_logprobs' });
  const { stream, includeUsage } = streamOptions(body);
  const model = await resolveServedModel(context, modelName);
  const plan = samplingPlan(body, context.engine, (text) => model.encode(text));
  checkLogitBiasIds(body, model.vocabSize);
  checkAllowedTokenIds(body, model.vocabSize);
  const prompt = model.encode(renderChatPrompt(messages));
  const job = { model, prompt, plan, n, maxTokens, stop, endOfTurn: CHAT_END_OF_TURN, signal, ...(logprobs ? { topLogprobs: topLogprobs ?? 0 } : {}) };
  const id = responseId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const header = { id, created, model: modelName, system_fingerprint: fingerprint(model.id, plan.engine) };
  if (!stream) {
    const generations = await runChoices(job);
    sendJson(response, 200, {
      ...header,
      object: 'chat.completion',
      choices: generations.map((generation, index) => ({
        index,
        message: { role: 'assistant', content: generation.text, refusal: null },
        logprobs: logprobs ? { content: generation.tokens.map(named), refusal: null } : null,
        finish_reason: generation.finishReason,
      })),
      usage: usageOf(prompt.length, generations),
      seed: plan.seed,
    });
    return;
  }
  const events = startEventStream(response);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): void =>
    events.send({ ...header, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  const generations = await runChoices(
    job,
    (index, delta) => chunk([{ index, delta: { content: delta.text }, logprobs: logprobs ? { content: delta.tokens.map(named), refusal: null } : null, finish_reason: null }]),
    (index) => chunk([{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
    (index, generation) => chunk([{ index, delta: {}, logprobs: null, finish_reason: generation.finishReason }]),
  );
  if (includeUsage) events.send({ ...header, object: 'chat.completion.chunk', choices: [], usage: usageOf(prompt.length, generations) });
  events.sendRaw('[DONE]');
  events.end();
}

function promptField(body: Body, encode: (text: string) => number[]): number[] {
  const prompt = body.prompt;
  if (prompt === undefined || prompt === null) throw new ApiError(400, 'prompt is required', { param: 'prompt', code: 'missing_required_parameter' });
  const single = Array.isArray(prompt) && prompt.length === 1 && (typeof prompt[0] === 'string' || Array.isArray(prompt[0])) ? prompt[0] : prompt;
  if (typeof single === 'string') return encode(single);
  if (Array.isArray(single) && single.every((id) => Number.isInteger(id) && (id as number) >= 0)) return single as number[];
  throw new ApiError(400, 'prompt must be a string, one string in an array, or an array of token ids (one prompt per request)', { param: 'prompt' });
}

function legacyLogprobs(tokens: readonly TokenInfo[], asIds = false): Record<string, unknown> {
  let offset = 0;
  const textOffset: number[] = [];
  for (const token of tokens) {
    textOffset.push(offset);
    offset += token.token.length;
  }
  return {
    tokens: tokens.map((token) => tokenName(token, asIds)),
    token_logprobs: tokens.map((token) => token.logprob),
    top_logprobs: tokens.map((token) => Object.fromEntries((token.top ?? []).map((alternative) => [tokenName(alternative, asIds), alternative.logprob]))),
    text_offset: textOffset,
  };
}

/** POST /v1/completions. */
export async function completions(body: Body, context: ServeContext, response: ServerResponse, signal: AbortSignal): Promise<void> {
  refuseUnknownFields(body, COMPLETION_FIELDS, unrecognized);
  if (body.echo === true) throw new ApiError(400, 'echo is not supported by knobs serve', { param: 'echo' });
  if (body.suffix !== undefined && body.suffix !== null) throw new ApiError(400, 'suffix is not supported by knobs serve', { param: 'suffix' });
  integerField(body, 'best_of', 1, 1);
  const modelName = requiredString(body, 'model');
  checkOpenAIRanges(body);
  const n = integerField(body, 'n', 1, 128) ?? 1;
  const maxTokens = maxTokensField(body, ['max_tokens'], 16, context.maxTokensLimit);
  const stop = stopField(body, 'stop', 4);
  const topLogprobs = integerField(body, 'logprobs', 0, 20);
  const asIds = booleanField(body, 'return_tokens_as_token_ids') ?? false;
  const { stream, includeUsage } = streamOptions(body);
  const model = await resolveServedModel(context, modelName);
  const plan = samplingPlan(body, context.engine, (text) => model.encode(text));
  checkLogitBiasIds(body, model.vocabSize);
  checkAllowedTokenIds(body, model.vocabSize);
  const prompt = promptField(body, (text) => model.encode(text));
  for (const id of prompt) if (id >= model.vocabSize) throw new ApiError(400, `prompt token ${id} is not a token id of this model: expected an integer in [0, ${model.vocabSize - 1}]`, { param: 'prompt' });
  const job = { model, prompt, plan, n, maxTokens, stop, endOfTurn: [], signal, ...(topLogprobs !== undefined ? { topLogprobs } : {}) };
  const id = responseId('cmpl-');
  const created = Math.floor(Date.now() / 1000);
  const header = { id, object: 'text_completion', created, model: modelName, system_fingerprint: fingerprint(model.id, plan.engine) };
  if (!stream) {
    const generations = await runChoices(job);
    sendJson(response, 200, {
      ...header,
      choices: generations.map((generation, index) => ({
        text: generation.text,
        index,
        logprobs: topLogprobs !== undefined ? legacyLogprobs(generation.tokens, asIds) : null,
        finish_reason: generation.finishReason,
      })),
      usage: usageOf(prompt.length, generations),
      seed: plan.seed,
    });
    return;
  }
  const events = startEventStream(response);
  const chunk = (choice: Record<string, unknown>): void => events.send({ ...header, choices: [choice], ...(includeUsage ? { usage: null } : {}) });
  const generations = await runChoices(
    job,
    (index, delta) => chunk({ text: delta.text, index, logprobs: topLogprobs !== undefined ? legacyLogprobs(delta.tokens, asIds) : null, finish_reason: null }),
    undefined,
    (index, generation) => chunk({ text: '', index, logprobs: null, finish_reason: generation.finishReason }),
  );
  if (includeUsage) events.send({ ...header, choices: [], usage: usageOf(prompt.length, generations) });
  events.sendRaw('[DONE]');
  events.end();
}

/** GET /v1/models (OpenAI's list shape). */
export function openaiModelList(context: ServeContext): Record<string, unknown> {
  return { object: 'list', data: context.models.map((id) => ({ id, object: 'model', created: context.started, owned_by: 'knobs' })) };
}
