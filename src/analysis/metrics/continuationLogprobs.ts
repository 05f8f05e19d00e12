import { checkInteger } from '../../core/validate.js';
import type { LanguageModel } from '../../models/languageModel.js';
import { logSumExp } from '../../kernel/logSumExp.js';

/**
 * The natural-log probability of every token of `continuation` under `model`, each given
 * the prompt and the continuation's earlier tokens: `logits[t] − logSumExp(logits)` of
 * `model.nextLogits(prompt ++ continuation[0..i))`. One model call per token, in order,
 * into one reused buffer. Feed the result to `corpusPerplexity` or `sequencePerplexity`.
 *
 * @example
 * const logprobs = await continuationLogprobs(model, model.encode('The jury'), model.encode(' said'));
 * sequencePerplexity(logprobs);
 */
export async function continuationLogprobs(model: LanguageModel, prompt: readonly number[], continuation: readonly number[]): Promise<Float64Array> {
  const out = new Float64Array(continuation.length);
  const context = [...prompt];
  const buffer = new Float32Array(model.vocabSize);
  for (let i = 0; i < continuation.length; i++) {
    const token = checkInteger(`continuation[${i}]`, continuation[i], 0, model.vocabSize - 1);
    const result = model.nextLogits(context, buffer);
    const logits = result instanceof Promise ? await result : result;
    out[i] = (logits[token] as number) - logSumExp(logits);
    context.push(token);
  }
  return out;
}
