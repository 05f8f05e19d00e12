import { batch, effect, signal } from '@preact/signals';
import { createSampler, type KnobsSampler, takeToken } from 'creativity-knobs';
import { fetchModel, type ModelInfo } from '../api/client.js';
import { topIds } from '../analysis/analyze.js';
import { decodeTokens, modelLogits, promptTokens } from '../state/loader.js';
import { chainSpec, engine, generated, seed, source } from '../state/store.js';

/** A token the chain left possible at a step, with its probability after the chain. */
export interface Alternative {
  readonly id: number;
  readonly p: number;
}

/** One step of a generation. */
export interface Step {
  /** The token taken at this step (drawn, or picked by the user when branching). */
  readonly token: number;
  /** The token the seeded draw gave at this step. */
  readonly drawn: number;
  /** Probability of `token` after the chain. */
  readonly p: number;
  /** The most likely tokens after the chain, most likely first. */
  readonly alternatives: readonly Alternative[];
  /**
   * The logits this step drew from, kept for the newest `KEEP_LOGITS` steps so that a
   * rewind can replay the generator without asking the server again (older steps fetch them).
   */
  logits?: Float32Array;
}

/** The steps so far. */
export const steps = signal<readonly Step[]>([]);
/** `'stop'` once the draw gave a stop token (end of text). */
export const finish = signal<'stop' | undefined>(undefined);
export const busy = signal(false);
export const generationError = signal<string | undefined>(undefined);
/** The generated text, decoded by the model's tokenizer. */
export const generatedText = signal('');

/** Longest generation the page keeps. */
export const MAX_STEPS = 256;
/** Steps whose logits stay in memory (4 bytes per vocabulary entry each). */
export const KEEP_LOGITS = 16;
/** Alternatives shown per step. */
export const ALTERNATIVES = 8;

const modelInfos = new Map<string, Promise<ModelInfo>>();

function modelInfo(model: string): Promise<ModelInfo> {
  let info = modelInfos.get(model);
  if (!info) {
    info = fetchModel(model);
    info.catch(() => modelInfos.delete(model));
    modelInfos.set(model, info);
  }
  return info;
}

/** The chain's sampler after `done` steps: the live one, or a fresh one replayed over them. */
let live: { sampler: KnobsSampler; key: string; count: number } | undefined;

async function liveSampler(key: string, model: string, promptIds: readonly number[], done: readonly Step[]): Promise<KnobsSampler> {
  if (live && live.key === key && live.count === done.length) return live.sampler;
  // Replay: each step drew once (consuming the generator as it did then) and accepted its token.
  const sampler = createSampler(chainSpec.value, { seed: seed.value, engine: engine.value, prompt: promptIds });
  const context = [...promptIds];
  for (const step of done) {
    sampler.sample(step.logits ?? (await modelLogits(model, context)));
    sampler.accept(step.token);
    context.push(step.token);
  }
  live = { sampler, key, count: done.length };
  return sampler;
}

/**
 * Generates up to `count` tokens on the current model source, exactly as the library's
 * `decode` loop (`knobs generate`, `knobs serve`) does: one sampler seeded once for the
 * whole generation, with the prompt's tokens as its `prompt`; at each step the model's
 * logits for prompt + tokens so far, `sample`, then `takeToken`'s stop rule (a stop token
 * ends the text and is not accepted). `forced[i]`, when given, replaces the token of the
 * i-th new step after its draw (branches, and restoring a generation from the URL).
 */
export async function generateTokens(count: number, forced: readonly number[] = []): Promise<void> {
  const spec = source.value;
  if (spec.kind !== 'model' || busy.value) return;
  busy.value = true;
  generationError.value = undefined;
  try {
    const promptIds = await promptTokens(spec.model, spec.prompt);
    const stops = new Set((await modelInfo(spec.model)).stopTokens);
    const key = JSON.stringify([chainSpec.value, engine.value, seed.value, spec.model, spec.prompt]);
    for (let i = 0; i < count && finish.value === undefined && steps.value.length < MAX_STEPS; i++) {
      const done = steps.value;
      const history = done.map((step) => step.token);
      const logits = await modelLogits(spec.model, [...promptIds, ...history]);
      if (source.value !== spec) return; // the source changed while waiting
      const sampler = await liveSampler(key, spec.model, promptIds, done);
      if (source.value !== spec) return;
      const shown = createSampler(chainSpec.value, { seed: seed.value, engine: engine.value, prompt: promptIds, history }).distribution(logits);
      const drawn = sampler.sample(logits);
      const token = forced[i] ?? drawn;
      if (!takeToken(sampler, token, stops)) {
        live = undefined; // its generator has drawn past the steps: a rewind replays
        finish.value = 'stop';
        break;
      }
      (live as { count: number }).count++;
      const alternatives = topIds(shown, ALTERNATIVES).map((id) => ({ id, p: shown[id] as number }));
      const step: Step = { token, drawn, p: shown[token] as number, alternatives, logits };
      const old = done[done.length - KEEP_LOGITS];
      if (old) old.logits = undefined;
      batch(() => {
        steps.value = [...done, step];
        generated.value = [...history, token];
      });
    }
  } catch (error) {
    generationError.value = (error as Error).message;
  } finally {
    busy.value = false;
  }
}

/** Goes back to before step `index` (0 = the prompt alone). */
export function rewind(index: number): void {
  if (busy.value) return;
  batch(() => {
    steps.value = steps.value.slice(0, index);
    generated.value = steps.value.map((step) => step.token);
    finish.value = undefined;
  });
}

/** Takes `token` instead at step `index` and drops the steps after it. */
export async function branch(index: number, token: number): Promise<void> {
  if (busy.value) return;
  rewind(index);
  await generateTokens(1, [token]);
}

/** Forgets the generation (a new source or prompt). */
export function resetGeneration(): void {
  batch(() => {
    steps.value = [];
    finish.value = undefined;
    generationError.value = undefined;
    generatedText.value = '';
  });
  live = undefined;
}

/** Rebuilds a generation from token ids (the URL's `gen`), replaying the draws. */
export async function restoreGeneration(tokens: readonly number[]): Promise<void> {
  resetGeneration();
  await generateTokens(tokens.length, tokens);
}

/** Keeps `generatedText` decoded as the steps change. Returns the disposer. */
export function startTextDecoder(): () => void {
  let sequence = 0;
  return effect(() => {
    const spec = source.value;
    const tokens = steps.value.map((step) => step.token);
    if (spec.kind !== 'model') return;
    const mine = ++sequence;
    decodeTokens(spec.model, tokens).then(
      (text) => {
        if (mine === sequence) generatedText.value = text;
      },
      (error: unknown) => {
        if (mine === sequence) generationError.value = (error as Error).message;
      },
    );
  });
}
