import type { ServerResponse } from 'node:http';
import { CHAT_END_OF_TURN, renderChatPrompt } from '../providers/chatTemplate.js';
import type { Generation } from '../providers/generateCompletion.js';
import type { ChatMessage } from '../providers/types.js';
import { ApiError } from '../http/apiError.js';
import { resolveServedModel, responseId, runChoices, type ServeContext } from './context.js';
import { booleanField, checkAllowedTokenIds, checkLogitBiasIds, integerField, numberField, refuseUnknownFields, requiredString, samplingPlan } from './fields.js';
import { sendJson } from '../http/sendJson.js';
import { startEventStream } from './eventStream.js';

type Body = Record<string, unknown>;

/** The fields `/v1/messages` (and `/v1/messages/count_tokens`) accept besides the knob fields. */
export const MESSAGE_FIELDS: ReadonlySet<string> = new Set([
  'model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'stream', 'metadata', 'service_tier', 'thinking', 'tools', 'tool_choice',
  'seed', 'chain', 'engine', 'logprobs_mode',
]);

function textOf(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((block: unknown, index) => {
        const { type, text } = (block ?? {}) as { type?: unknown; text?: unknown };
        if (type !== 'text' || typeof text !== 'string') throw new ApiError(400, `${where}.${index}: only text blocks are supported by the local models (got type ${JSON.stringify(type)})`, { param: `${where}.${index}` });
        return text;
      })
      .join('');
  }
  throw new ApiError(400, `${where}: expected a string or an array of text blocks`, { param: where });
}

function messagesOf(body: Body): ChatMessage[] {
  const messages = body.messages;
  if (messages === undefined || messages === null) throw new ApiError(400, 'messages: Field required', { param: 'messages' });
  if (!Array.isArray(messages) || messages.length === 0) throw new ApiError(400, 'messages: expected a non-empty array of {role, content}', { param: 'messages' });
  const system = body.system === undefined || body.system === null ? [] : [{ role: 'system' as const, content: textOf(body.system, 'system') }];
  return [
    ...system,
    ...messages.map((message: unknown, index): ChatMessage => {
      const where = `messages.${index}`;
      const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
      if (role !== 'user' && role !== 'assistant') throw new ApiError(400, `${where}.role: Input should be 'user' or 'assistant' (got ${JSON.stringify(role)})`, { param: `${where}.role` });
      return { role, content: textOf(content, `${where}.content`) };
    }),
  ];
}

function stopSequences(body: Body): string[] {
  const value = body.stop_sequences;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new ApiError(400, 'stop_sequences: expected an array of strings', { param: 'stop_sequences' });
  return (value as string[]).filter((item) => item.length > 0);
}

function stopReason(generation: Generation): string {
  if (generation.stopSequence !== null) return 'stop_sequence';
  return generation.finishReason === 'length' ? 'max_tokens' : 'end_turn';
}

/** POST /v1/messages (Anthropic's Messages API). */
export async function messages(body: Body, context: ServeContext, response: ServerResponse, signal: AbortSignal): Promise<void> {
  refuseUnknownFields(body, MESSAGE_FIELDS, (field) => `${field}: Extra inputs are not permitted`);
  for (const field of ['tools', 'tool_choice']) if (body[field] !== undefined && body[field] !== null) throw new ApiError(400, `${field}: not supported by knobs serve (the local models generate plain text)`, { param: field });
  const thinking = body.thinking as { type?: unknown } | undefined | null;
  if (thinking !== undefined && thinking !== null && thinking.type !== 'disabled') throw new ApiError(400, 'thinking: not supported by knobs serve (the local models do not think); use {"type": "disabled"} or leave it out', { param: 'thinking' });
  const modelName = requiredString(body, 'model');
  if (body.max_tokens === undefined || body.max_tokens === null) throw new ApiError(400, 'max_tokens: Field required', { param: 'max_tokens' });
  const maxTokens = integerField(body, 'max_tokens', 1, context.maxTokensLimit) as number;
  const conversation = messagesOf(body);
  numberField(body, 'temperature', 0, 1);
  numberField(body, 'top_p', 0, 1);
  integerField(body, 'top_k', 0, 2147483647);
  const stop = stopSequences(body);
  const stream = booleanField(body, 'stream') ?? false;
  const model = await resolveServedModel(context, modelName);
  const plan = samplingPlan(body, context.engine, (text) => model.encode(text));
  checkLogitBiasIds(body, model.vocabSize);
  checkAllowedTokenIds(body, model.vocabSize);
  const prompt = model.encode(renderChatPrompt(conversation));
  const job = { model, prompt, plan, n: 1, maxTokens, stop, endOfTurn: CHAT_END_OF_TURN, signal };
  const id = responseId('msg_');
  if (!stream) {
    const [generation] = (await runChoices(job)) as [Generation];
    sendJson(response, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model: modelName,
      content: [{ type: 'text', text: generation.text }],
      stop_reason: stopReason(generation),
      stop_sequence: generation.stopSequence,
      usage: { input_tokens: prompt.length, output_tokens: generation.completionTokens },
    });
    return;
  }
  const events = startEventStream(response);
  const send = (type: string, data: Record<string, unknown>): void => events.send({ type, ...data }, type);
  send('message_start', {
    message: { id, type: 'message', role: 'assistant', model: modelName, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: prompt.length, output_tokens: 0 } },
  });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  send('ping', {});
  const [generation] = (await runChoices(job, (_index, delta) => send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: delta.text } }))) as [Generation];
  send('content_block_stop', { index: 0 });
  send('message_delta', { delta: { stop_reason: stopReason(generation), stop_sequence: generation.stopSequence }, usage: { output_tokens: generation.completionTokens } });
  send('message_stop', {});
  events.end();
}

/** POST /v1/messages/count_tokens: the prompt's length in the served model's tokens (as rendered for it). */
export async function countTokens(body: Body, context: ServeContext, response: ServerResponse): Promise<void> {
  refuseUnknownFields(body, MESSAGE_FIELDS, (field) => `${field}: Extra inputs are not permitted`);
  const modelName = requiredString(body, 'model');
  const conversation = messagesOf(body);
  const model = await resolveServedModel(context, modelName);
  sendJson(response, 200, { input_tokens: model.encode(renderChatPrompt(conversation)).length });
}

/** GET /v1/models in Anthropic's list shape (asked for with an `anthropic-version` header). */
export function anthropicModelList(context: ServeContext): Record<string, unknown> {
  const created = new Date(context.started * 1000).toISOString();
  const data = context.models.map((id) => ({ type: 'model', id, display_name: id, created_at: created }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}
