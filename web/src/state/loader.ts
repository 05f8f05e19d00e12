import { effect } from '@preact/signals';
import { getExample, parseDistribution } from 'creativity-knobs';
import { decode, encode, fetchLogits, fetchOpenAiTopLogprobs, fetchVocab } from '../api/client.js';
import type { LoadedInput, SourceSpec } from './source.js';
import { generated, input, inputError, loading, source } from './store.js';

/** Recent next-token logits (or their pending requests), by model and context: rewinding and the views reuse them. */
const logitsCache = new Map<string, Promise<Float32Array>>();
const LOGITS_CACHE_SIZE = 8;
const promptCache = new Map<string, Promise<number[]>>();

/** The next-token logits of `model` after `context`, from the cache or the server (one request per context). */
export function modelLogits(model: string, context: readonly number[]): Promise<Float32Array> {
  const key = `${model}\u0000${context.join(',')}`;
  let logits = logitsCache.get(key);
  if (logits) logitsCache.delete(key);
  else {
    logits = fetchLogits(model, context);
    logits.catch(() => logitsCache.delete(key));
  }
  logitsCache.set(key, logits);
  while (logitsCache.size > LOGITS_CACHE_SIZE) logitsCache.delete(logitsCache.keys().next().value as string);
  return logits;
}

/** The prompt's token ids under a model (cached). */
export function promptTokens(model: string, prompt: string): Promise<number[]> {
  const key = `${model}\u0000${prompt}`;
  let tokens = promptCache.get(key);
  if (!tokens) {
    tokens = encode(model, prompt);
    tokens.catch(() => promptCache.delete(key));
    promptCache.set(key, tokens);
  }
  return tokens;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Loads the distribution a source names (the model's after the prompt and `extra` generated tokens). */
export async function loadSource(spec: SourceSpec, extra: readonly number[]): Promise<LoadedInput> {
  switch (spec.kind) {
    case 'example': {
      const example = getExample(spec.name);
      const tokens = example.tokens;
      return {
        logits: Float32Array.from(example.logits),
        tokenText: (id) => tokens?.[id] ?? `#${id}`,
        label: `example ${example.name}: ${example.description}`,
        cli: `--example ${example.name}`,
      };
    }
    case 'paste': {
      const parsed = parseDistribution(spec.text, spec.mode);
      const tokens = parsed.tokens;
      return {
        logits: parsed.logits,
        tokenText: (id) => tokens?.[id] ?? `#${id}`,
        label: `pasted ${spec.mode} (${parsed.logits.length} tokens)`,
        cli: `--${spec.mode} pasted.json`,
      };
    }
    case 'model': {
      const prompt = await promptTokens(spec.model, spec.prompt);
      const [vocab, logits] = await Promise.all([fetchVocab(spec.model), modelLogits(spec.model, [...prompt, ...extra])]);
      const tail = extra.length > 0 ? ` + ${extra.length} generated` : '';
      return {
        logits,
        tokenText: (id) => vocab[id] ?? `#${id}`,
        label: `${spec.model} after ${JSON.stringify(spec.prompt)}${tail}`,
        cli: `--model ${spec.model} --prompt ${quote(spec.prompt)}`,
        prompt,
      };
    }
    case 'openai': {
      const result = await fetchOpenAiTopLogprobs(spec.prompt, spec.model);
      const logits = Float32Array.from(result.logprobs);
      const coverage = result.logprobs.reduce((sum, value) => sum + Math.exp(value), 0);
      return {
        logits,
        tokenText: (id) => result.tokens[id] ?? `#${id}`,
        label: `${result.model}: top ${result.tokens.length} next tokens after ${JSON.stringify(spec.prompt)}`,
        cli: `--logits openai-top-logprobs.json`,
        coverage,
      };
    }
  }
}

/** Text of generated tokens (decoded by the model's tokenizer on the server). */
export function decodeTokens(model: string, tokens: readonly number[]): Promise<string> {
  return tokens.length === 0 ? Promise.resolve('') : decode(model, tokens);
}

/**
 * Keeps `input` in step with `source` and, for model sources, with the generated tokens.
 * Only the newest load lands; errors go to `inputError` (and leave the last input shown).
 * Returns the effect's disposer.
 */
export function startLoader(): () => void {
  let sequence = 0;
  return effect(() => {
    const spec = source.value;
    const extra = spec.kind === 'model' ? generated.value : [];
    const mine = ++sequence;
    loading.value = true;
    loadSource(spec, extra).then(
      (loaded) => {
        if (mine !== sequence) return;
        input.value = loaded;
        inputError.value = undefined;
        loading.value = false;
      },
      (error: unknown) => {
        if (mine !== sequence) return;
        inputError.value = (error as Error).message;
        loading.value = false;
      },
    );
  });
}
