import type { LanguageModel } from '../models/languageModel.js';
import { generateCompletion, type Generation, type GenerationDelta } from '../providers/generateCompletion.js';
import type { ModelCatalog } from '../models/catalog.js';
import { ApiError } from '../http/apiError.js';
import type { SamplingPlan } from './fields.js';

/** What every route of `knobs serve` needs: the models, the default engine and the limits. */
export interface ServeContext {
  /** Model names listed by `/v1/models` (the first is the default of `knobs serve`). */
  readonly models: readonly string[];
  readonly catalog: ModelCatalog;
  /** Engine profile when a request names none. */
  readonly engine: string;
  /** Largest `max_tokens` a request may ask for. */
  readonly maxTokensLimit: number;
  /** Unix time (seconds) the server started, for `created` fields. */
  readonly started: number;
}

/** The served model of that name, or a 404 naming it and the served models. */
export async function resolveServedModel(context: ServeContext, name: string): Promise<LanguageModel> {
  if (!context.catalog.has(name)) {
    throw new ApiError(404, `The model \`${name}\` does not exist or is not served here (served: ${context.models.join(', ') || 'none'})`, { param: 'model', code: 'model_not_found' });
  }
  return context.catalog.open(name);
}

/** One generation job: the prompt, the sampling plan and the limits shared by its `n` choices. */
export interface ChoiceJob {
  readonly model: LanguageModel;
  readonly prompt: readonly number[];
  readonly plan: SamplingPlan;
  readonly n: number;
  readonly maxTokens: number;
  readonly stop: readonly string[];
  readonly endOfTurn: readonly string[];
  /** Top alternatives per token; absent: no log-probabilities. */
  readonly topLogprobs?: number;
  readonly signal: AbortSignal;
}

const SEED_SPAN = Number.MAX_SAFE_INTEGER + 1;

/**
 * Generates the `n` choices of a request one after the other; choice `i` uses seed
 * `seed + i`, so the same request with the same seed gives the same choices.
 */
export async function runChoices(job: ChoiceJob, onDelta?: (index: number, delta: GenerationDelta) => void, onChoiceStart?: (index: number) => void, onChoiceEnd?: (index: number, generation: Generation) => void): Promise<Generation[]> {
  const generations: Generation[] = [];
  for (let index = 0; index < job.n; index++) {
    onChoiceStart?.(index);
    const generation = await generateCompletion(job.model, job.prompt, {
      chain: job.plan.chain,
      engine: job.plan.engine,
      seed: (job.plan.seed + index) % SEED_SPAN,
      maxTokens: job.maxTokens,
      stop: job.stop,
      endOfTurn: job.endOfTurn,
      ...(job.topLogprobs !== undefined ? { topLogprobs: job.topLogprobs } : {}),
      logprobsMode: job.plan.logprobsMode,
      signal: job.signal,
      ...(onDelta ? { onDelta: (delta: GenerationDelta) => onDelta(index, delta) } : {}),
    });
    onChoiceEnd?.(index, generation);
    generations.push(generation);
  }
  return generations;
}

/** A response id: `prefix` and 24 random hex digits. */
export function responseId(prefix: string): string {
  const hex = Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${prefix}${hex}`;
}
