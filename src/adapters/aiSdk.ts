/**
 * creativity-knobs/ai-sdk: a chain as AI SDK language-model middleware (`ai` 6,
 * `wrapLanguageModel({ model, middleware })`). The AI SDK's call settings are temperature,
 * topP, topK, the two OpenAI penalties and seed; every provider sends what its API takes and
 * drops the rest (@ai-sdk/openai and @ai-sdk/openai-compatible drop topK, @ai-sdk/anthropic
 * drops the penalties and, for Claude models, topP when a temperature is set: with a
 * warning in the versions read, 3.0 / 2.0), and min-p, typical-p, DRY, XTC or repetition
 * penalty have no setting at all. The middleware maps the chain onto what the target takes,
 * sends the extra knobs a server has as request-body fields, and turns every knob the
 * target lacks into a warning on the result (or refuses the call). It imports nothing of the
 * AI SDK at run time: a middleware is a plain object.
 *
 * @module creativity-knobs/ai-sdk
 */
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Middleware, LanguageModelV3StreamPart, SharedV3Warning } from '@ai-sdk/provider';
import { KnobsError } from '../core/errors.js';
import type { CompatibleServer } from '../providers/compatibleCapabilities.js';
import type { ChainSpec } from '../samplers/spec.js';
import { mapChain, SAMPLING_SETTINGS, type AiSdkProvider, type ChainMapping, type LackingKnob } from './aiSdkMapping.js';

export type { LackingKnob } from './aiSdkMapping.js';

/** Options of `knobsMiddleware`. */
export interface KnobsMiddlewareOptions {
  /** The chain (DESIGN.md): the whole sampling configuration of every call. */
  readonly chain: ChainSpec | string;
  /** The AI SDK provider package of the wrapped model. */
  readonly provider: AiSdkProvider;
  /** For `openai-compatible`: the server behind it (default `generic`: extra fields are sent, unverified). */
  readonly server?: CompatibleServer;
  /** Model id for the capability tables (default: the wrapped model's `modelId`). */
  readonly model?: string;
  /** Engine profile of the chain, sent to `knobs serve`. */
  readonly engine?: string;
  /**
   * What to do when the target lacks a knob of the chain: `'warn'` (default) adds an AI SDK
   * warning per knob to the result; `'refuse'` throws `UnsupportedKnobsError` before
   * anything is sent.
   */
  readonly unsupported?: 'warn' | 'refuse';
}

/**
 * The target cannot take some knobs of the chain (`unsupported: 'refuse'`).
 *
 * @example
 * throw new UnsupportedKnobsError('openai (gpt-4o-mini)', [{ knob: 'min_p', value: 0.05, reason: 'openai (gpt-4o-mini) has no min_p' }]);
 */
export class UnsupportedKnobsError extends KnobsError {
  override name = 'UnsupportedKnobsError';
  constructor(
    readonly target: string,
    readonly lacking: readonly LackingKnob[],
  ) {
    super(`${target} cannot take ${lacking.map((entry) => `${entry.knob} = ${JSON.stringify(entry.value)}`).join(', ')} of the chain: ${lacking.map((entry) => entry.reason).join('; ')}. Use another target, drop those stages, or { unsupported: 'warn' } to send the rest.`);
  }
}

/** Marks the middleware's warnings among the provider's. */
export const KNOBS_WARNING_PREFIX = 'creativity-knobs: ';

/**
 * AI SDK middleware that makes every call sample with `chain`, as far as the target can:
 * `transformParams` replaces the call's sampling settings with the chain mapped onto the
 * target (`mapChain`: the provider's own settings, and extra body fields through
 * `providerOptions` for OpenAI-compatible servers that have min_p, top_k, typical_p,
 * repetition_penalty, dry_*, ...; the chain itself for `knobs serve`), and
 * `wrapGenerate` / `wrapStream` add one warning per knob the target lacks
 * (`{ type: 'unsupported', feature: knob, details }`), per sampling setting of the call that
 * the chain replaced, and per field sent to a server of unknown kind. With
 * `unsupported: 'refuse'` a lacking knob throws `UnsupportedKnobsError` instead.
 *
 * @example
 * import { generateText, wrapLanguageModel } from 'ai';
 * import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
 * import { knobsMiddleware } from 'creativity-knobs/ai-sdk';
 * const vllm = createOpenAICompatible({ name: 'vllm', baseURL: 'http://127.0.0.1:8000/v1' });
 * const model = wrapLanguageModel({ model: vllm('Qwen/Qwen2.5-0.5B-Instruct'), middleware: knobsMiddleware({ chain: 'min_p=0.05,temperature=0.9', provider: 'openai-compatible', server: 'vllm' }) });
 * const { text, warnings } = await generateText({ model, prompt: 'Write a haiku', seed: 1 });
 */
export function knobsMiddleware(options: KnobsMiddlewareOptions): LanguageModelV3Middleware {
  const planned = new WeakMap<LanguageModelV3CallOptions, SharedV3Warning[]>();
  const target = (model: LanguageModelV3) => ({
    provider: options.provider,
    model: options.model ?? model.modelId,
    ...(options.server === undefined ? {} : { server: options.server }),
    ...(options.engine === undefined ? {} : { engine: options.engine }),
  });
  mapChain(options.chain, target({ modelId: options.model ?? 'model' } as LanguageModelV3)); // a bad chain or target throws now

  const plan = (params: LanguageModelV3CallOptions, model: LanguageModelV3): { params: LanguageModelV3CallOptions; warnings: SharedV3Warning[] } => {
    const to = target(model);
    const mapping: ChainMapping = mapChain(options.chain, to);
    const where = `${options.provider}${options.server ? ` (${options.server})` : ''} ${to.model}`;
    if (mapping.lacking.length > 0 && options.unsupported === 'refuse') throw new UnsupportedKnobsError(where, mapping.lacking);
    const warnings: SharedV3Warning[] = mapping.lacking.map((entry) => ({
      type: 'unsupported',
      feature: entry.knob,
      details: `${KNOBS_WARNING_PREFIX}${entry.knob} = ${JSON.stringify(entry.value)} of the chain is not applied: ${entry.reason}`,
    }));
    const next: LanguageModelV3CallOptions = { ...params };
    for (const setting of SAMPLING_SETTINGS) {
      const given = params[setting];
      if (given !== undefined && given !== mapping.settings[setting]) {
        warnings.push({ type: 'other', message: `${KNOBS_WARNING_PREFIX}${setting} = ${given} of the call replaced by the chain's sampling` });
      }
      if (mapping.settings[setting] === undefined) delete next[setting];
      else next[setting] = mapping.settings[setting];
    }
    for (const field of mapping.unverified) {
      warnings.push({ type: 'compatibility', feature: field, details: `${KNOBS_WARNING_PREFIX}${field} sent as an extra field to a server of unknown kind, which may ignore it: give server (vllm, llama.cpp, ollama, lmstudio, knobs) to know` });
    }
    if (Object.keys(mapping.providerOptions).length > 0) {
      const key = options.provider === 'openai-compatible' ? model.provider.split('.')[0]!.trim() : options.provider;
      const existing = params.providerOptions?.[key] ?? {};
      next.providerOptions = { ...params.providerOptions, [key]: { ...existing, ...(mapping.providerOptions as Record<string, never>) } };
    }
    planned.set(next, warnings);
    return { params: next, warnings };
  };

  const warningsOf = (params: LanguageModelV3CallOptions, model: LanguageModelV3): SharedV3Warning[] => planned.get(params) ?? plan(params, model).warnings;

  return {
    specificationVersion: 'v3',
    transformParams: async ({ params, model }) => plan(params, model).params,
    wrapGenerate: async ({ doGenerate, params, model }) => {
      const ours = warningsOf(params, model);
      const result = await doGenerate();
      return { ...result, warnings: [...result.warnings, ...ours] };
    },
    wrapStream: async ({ doStream, params, model }) => {
      const ours = warningsOf(params, model);
      const { stream, ...rest } = await doStream();
      let started = false;
      const withWarnings = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        transform(part, controller) {
          if (!started) {
            started = true;
            if (part.type === 'stream-start') {
              controller.enqueue({ ...part, warnings: [...part.warnings, ...ours] });
              return;
            }
            controller.enqueue({ type: 'stream-start', warnings: ours });
          }
          controller.enqueue(part);
        },
      });
      return { stream: stream.pipeThrough(withWarnings), ...rest };
    },
  };
}
