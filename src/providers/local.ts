import { KnobsError } from '../core/errors.js';
import type { ModelCatalog } from '../models/catalog.js';
import type { LanguageModel } from '../models/languageModel.js';
import { createSampler } from '../samplers/chain.js';
import { parameterDefault } from '../samplers/definition.js';
import { getProfile } from '../samplers/profiles.js';
import type { ChainSpec } from '../samplers/spec.js';
import { isGgufModel } from '../models/ggufModel.js';
import { CHAT_END_OF_TURN, renderChatPrompt } from './chatTemplate.js';
import { checkSettings } from './checkSettings.js';
import { ProviderError } from './errors.js';
import { generateCompletion, randomSeed } from './generateCompletion.js';
import { chainFromKnobFields, isKnobField, knobFields, type KnobField } from './knobFields.js';
import type { Completion, CompletionRequest, CompletionResult, KnobRange, KnobSettings, ModelCapabilities, Provider, Rejection } from './types.js';

/** Options of `createLocalProvider`. */
export interface LocalProviderOptions {
  /** The models it serves, by id (`localCatalog()`, or `modelCatalog({ name: model })`). */
  readonly catalog: ModelCatalog;
  /** Engine profile for flag-style knobs and chains (default `knobs`; `settings.engine` overrides). */
  readonly engine?: string;
  /** `maxTokens` when a request gives none (default 256). */
  readonly defaultMaxTokens?: number;
}

/** The range a knob field takes on the local models: its parameter's declaration under the `knobs` profile. */
function localRange(field: KnobField): KnobRange {
  const spec = field.spec;
  const fallback = parameterDefault(spec, getProfile('knobs'));
  return {
    min: spec.range?.min ?? -Number.MAX_VALUE,
    max: spec.range === undefined || spec.range.max === Infinity ? Number.MAX_VALUE : spec.range.max,
    ...(spec.kind === 'integer' ? { integer: true } : {}),
    ...(typeof fallback === 'number' ? { default: fallback } : {}),
    note: spec.hint,
  };
}

/** The largest seed, plus one: seeds wrap around (choice i uses seed + i). */
const SEED_SPAN = Number.MAX_SAFE_INTEGER + 1;

/**
 * What the local models accept: every knob field whose sampler is registered (so the list
 * grows as samplers are added), a `chain`, seeds, `n` up to 128, and log-probabilities
 * with up to 20 alternatives.
 *
 * @example
 * localCapabilities('embedded').chain; // true
 */
export function localCapabilities(model: string): ModelCapabilities {
  const knobs: Record<string, KnobRange> = {};
  for (const field of knobFields()) knobs[field.field] = localRange(field);
  return {
    provider: 'local',
    model,
    known: true,
    family: 'local',
    knobs,
    refused: {},
    exclusive: [],
    options: ['engine', 'logprobs_mode'],
    passThrough: false,
    logprobs: { supported: true, maxTop: 20 },
    maxN: 128,
    seed: true,
    chain: true,
    notes: ['messages are rendered with the model\'s chat template when it has one (GGUF), else with renderChatPrompt; choice i of n uses seed + i'],
  };
}

/**
 * The local provider: models on this machine (the embedded n-gram model, later GGUF files)
 * sampled by our own chain (`createSampler`). Flag-style settings are ordered by the engine
 * profile; a `chain` is run as given. Messages are rendered into plain text with
 * `renderChatPrompt`. Token counts come from the model's tokenizer. Choice `i` of `n` is
 * generated with seed `seed + i`, so choice 0 is the single completion of the same seed.
 *
 * @example
 * const provider = createLocalProvider({ catalog: modelCatalog({ embedded: model }) });
 * const result = await provider.complete({ model: 'embedded', prompt: 'The robot', chain: 'top_p=0.9,temperature=0.8', seed: 7, maxTokens: 30 });
 */
export function createLocalProvider(options: LocalProviderOptions): Provider {
  const defaultMaxTokens = options.defaultMaxTokens ?? 256;
  return {
    name: 'local',
    capabilities: (model) => localCapabilities(model),
    async complete(request: CompletionRequest): Promise<CompletionResult> {
      const started = performance.now();
      const model = await openServed(options.catalog, request.model);
      const settings: KnobSettings = request.settings ?? {};
      const capabilities = localCapabilities(request.model);
      const check = checkSettings(capabilities, { settings, n: request.n, logprobs: request.logprobs, topLogprobs: request.topLogprobs });
      const engine = typeof settings.engine === 'string' ? settings.engine : (options.engine ?? 'knobs');
      const rejected: Rejection[] = [...check.rejected];
      let chain: ChainSpec | string = [];
      try {
        if (request.chain !== undefined) {
          const knobs = Object.keys(settings).filter((field) => isKnobField(field));
          if (knobs.length > 0) rejected.push({ parameter: knobs.join(','), value: knobs, reason: 'rejected by provider: give either a chain or knob settings, not both' });
          chain = request.chain;
        } else {
          chain = chainFromKnobFields(settings, engine, { encode: (text) => model.encode(text) }).chain;
        }
        createSampler(chain, { engine });
      } catch (error) {
        if (!(error instanceof KnobsError)) throw error;
        rejected.push({ parameter: request.chain !== undefined ? 'chain' : 'settings', value: request.chain ?? settings, reason: `rejected by provider: ${error.message}` });
      }
      const seed = request.seed ?? randomSeed();
      const sent = { chain, engine, seed, n: request.n ?? 1, max_tokens: request.maxTokens ?? defaultMaxTokens };
      if (rejected.length > 0) {
        return { provider: 'local', model: request.model, status: 'rejected', completions: [], rejected, notes: check.notes, sent, latencyMs: performance.now() - started };
      }
      const chat = request.messages !== undefined;
      // A GGUF model with a chat template renders the conversation with it; the n-gram
      // models get the plain-text format of renderChatPrompt.
      const templated = chat && isGgufModel(model) && model.chatTemplate !== null ? model.chatPrompt(request.messages ?? []) : undefined;
      const promptIds = templated ? templated.tokens : !chat && request.promptTokens !== undefined ? [...request.promptTokens] : model.encode(chat ? renderChatPrompt(request.messages ?? []) : (request.prompt ?? ''));
      const wantsLogprobs = request.logprobs === true || request.topLogprobs !== undefined;
      const completions: Completion[] = [];
      let completionTokens = 0;
      for (let index = 0; index < (request.n ?? 1); index++) {
        const generation = await generateCompletion(model, promptIds, {
          chain,
          engine,
          seed: (seed + index) % SEED_SPAN,
          maxTokens: request.maxTokens ?? defaultMaxTokens,
          stop: request.stop ?? [],
          endOfTurn: templated ? templated.stop : chat ? CHAT_END_OF_TURN : [],
          ...(wantsLogprobs ? { topLogprobs: request.topLogprobs ?? 0 } : {}),
          logprobsMode: settings.logprobs_mode === 'processed' ? 'processed' : 'raw',
          ...(request.signal ? { signal: request.signal } : {}),
        });
        completionTokens += generation.completionTokens;
        completions.push({
          text: generation.text,
          finishReason: generation.finishReason,
          stopSequence: generation.stopSequence,
          ...(wantsLogprobs ? { tokens: generation.tokens } : {}),
        });
      }
      return {
        provider: 'local',
        model: request.model,
        status: 'ok',
        completions,
        notes: check.notes,
        sent,
        usage: { promptTokens: promptIds.length, completionTokens },
        seed,
        latencyMs: performance.now() - started,
      };
    },
  };
}

function openServed(catalog: ModelCatalog, name: string): Promise<LanguageModel> {
  if (!catalog.has(name)) throw new ProviderError(`model ${JSON.stringify(name)} is not served by the local provider`, 'local', 'not_found');
  return catalog.open(name);
}
