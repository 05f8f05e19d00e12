/**
 * creativity-knobs/transformers: our sampling chains inside transformers.js
 * (`@huggingface/transformers`, an optional peer imported when this module loads).
 *
 * transformers.js 4.3 samples with little of what its `GenerationConfig` names (read from its
 * `generation/logits_process.js`, `logits_sampler.js` and `models/modeling_utils.js`, and
 * shown by test/adapters/transformers.test.ts): `top_p` is never applied (the warper is
 * commented out, and `TopPLogitsWarper` has no `_call`), `top_k` (default 50) acts only
 * inside its multinomial sampler, there is no min-p, `typical_p`, `epsilon_cutoff` and
 * `eta_cutoff` are accepted and unused, and its random generator is one global. Its hook is
 * a `LogitsProcessor` passed as `generate({ logits_processor: [processor] })`, which runs
 * after its own processors (repetition penalty, temperature, ...) on float32 logits
 * `[batch, vocab]`.
 *
 * @module creativity-knobs/transformers
 */
import { InvalidParameterError } from '../core/errors.js';
import { createSampler } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { importRuntime } from './peer.js';
import { checkProcessorMode, writeFilter, writePick, type ProcessorMode } from './processedLogits.js';

export type { ProcessorMode } from './processedLogits.js';
import { RowSamplers } from './rowSamplers.js';

/** The transformers.js major version these adapters were written and tested against. */
export const TRANSFORMERS_INSTALL = 'npm install @huggingface/transformers@4';

/** transformers.js's `Tensor`, as far as a logits processor reads it: float32 `[batch, vocab]`. */
export interface TransformersTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** What this module uses of transformers.js. */
interface TransformersModule {
  LogitsProcessor: new () => { _call(input_ids: bigint[][], logits: TransformersTensor): unknown };
  random?: { seed(seed: number): void };
}

const transformers = await importRuntime<TransformersModule>('creativity-knobs/transformers', '@huggingface/transformers', TRANSFORMERS_INSTALL);

/** Options of `knobsLogitsProcessor`. */
export interface KnobsProcessorOptions {
  /** Seed of batch row 0; row r draws with `seed + r` (default 0). */
  readonly seed?: number;
  /** Engine profile of the chain (default `'knobs'`). */
  readonly engine?: string;
  /** `'pick'` (default): our sampler draws; `'filter'`: transformers.js draws from the chain's logits. */
  readonly mode?: ProcessorMode;
}

/** The processor: a real transformers.js `LogitsProcessor` (callable, with `_call`). */
export interface KnobsLogitsProcessor {
  (input_ids: bigint[][], logits: TransformersTensor): TransformersTensor;
  _call(input_ids: bigint[][], logits: TransformersTensor): TransformersTensor;
  readonly mode: ProcessorMode;
  /** Forgets every row: the next call starts new sequences from the seed. */
  reset(): void;
}

/**
 * A transformers.js `LogitsProcessor` that runs a chain (`createSampler`) on each batch row.
 *
 * - `mode: 'pick'` (default): our seeded sampler draws the token and only that token stays
 *   finite (0, the rest -Infinity), so `generate({ do_sample: false })` (its greedy choice)
 *   reproduces our draws exactly, and so does any other setting.
 * - `mode: 'filter'`: the row becomes the chain's logits (removed tokens -Infinity, the
 *   others the log of the chain's probabilities), for transformers.js's own multinomial
 *   (`do_sample: true, top_k: 0`: its default `top_k` of 50 would cut the vocabulary
 *   again). Chains with a stage that draws by itself (XTC, mirostat, adaptive-p, skew) are
 *   refused.
 *
 * Rows: row r has its own sampler, seeded with `seed + r`. Prompt and generated tokens are
 * told apart by time: the ids a row holds at the first call of a generation are its prompt
 * (`createSampler`'s `prompt`, which penalties count or not as the engine profile says), and
 * each token appended after that is accepted as generated. A row that is not one token
 * longer than at the previous call starts a new sequence (a new `generate()` call), again
 * from the seed: the same processor and prompt give the same draws. Padding tokens of a
 * padded batch are part of the prompt.
 *
 * transformers.js applies its own temperature (when sampling) and repetition penalty before
 * this processor: leave them neutral (`knobsGenerate` does so, and warns when they were set).
 *
 * @example
 * import { knobsLogitsProcessor } from 'creativity-knobs/transformers';
 * const processor = knobsLogitsProcessor([{ top_p: 0.9 }, { min_p: 0.05 }, { temperature: 0.8 }], { seed: 1 });
 * const output = await model.generate({ ...inputs, max_new_tokens: 20, do_sample: false, logits_processor: [processor] });
 */
export function knobsLogitsProcessor(chain: ChainSpec | string, options: KnobsProcessorOptions = {}): KnobsLogitsProcessor {
  const mode = checkProcessorMode(chain, options.mode ?? 'pick');
  createSampler(chain, { engine: options.engine ?? 'knobs' }); // a bad chain throws here rather than inside generate()
  const rows = new RowSamplers(chain, { seed: options.seed ?? 0, engine: options.engine ?? 'knobs' });
  return new KnobsProcessor(rows, mode) as unknown as KnobsLogitsProcessor;
}

class KnobsProcessor extends transformers.LogitsProcessor {
  private probs: Float32Array | undefined;
  private readonly rowBuffers: Float32Array[] = [];

  constructor(
    private readonly rows: RowSamplers,
    readonly mode: ProcessorMode,
  ) {
    super();
  }

  reset(): void {
    this.rows.reset();
  }

  /** Row `row` of a batch, copied into a buffer kept for that row (the samplers read whole arrays). */
  private copyRow(data: Float32Array, row: number, vocab: number): Float32Array {
    let buffer = this.rowBuffers[row];
    if (buffer?.length !== vocab) this.rowBuffers[row] = buffer = new Float32Array(vocab);
    const start = row * vocab;
    for (let i = 0; i < vocab; i++) buffer[i] = data[start + i] as number;
    return buffer;
  }

  override _call(input_ids: bigint[][], logits: TransformersTensor): TransformersTensor {
    const data = logits.data;
    const dims = logits.dims;
    if (!(data instanceof Float32Array) || dims.length !== 2) {
      throw new InvalidParameterError('logits', `${logits.type} [${dims.join(', ')}]`, 'float32 logits of dims [batch, vocab], as transformers.js passes its logits processors');
    }
    const batch = dims[0] as number;
    const vocab = dims[1] as number;
    if (input_ids.length !== batch) throw new InvalidParameterError('input_ids.length', input_ids.length, `${batch} (the logits' batch rows)`);
    for (let row = 0; row < batch; row++) {
      const sampler = this.rows.samplerFor(row, input_ids[row] as bigint[]);
      const rowLogits = batch === 1 ? data : this.copyRow(data, row, vocab);
      if (this.mode === 'pick') {
        writePick(sampler, rowLogits, data, row * vocab, vocab);
      } else {
        if (this.probs?.length !== vocab) this.probs = new Float32Array(vocab);
        writeFilter(sampler, rowLogits, this.probs, data, row * vocab, vocab);
      }
    }
    return logits;
  }
}

/** A transformers.js model with `generate` (`AutoModelForCausalLM.from_pretrained(...)`). */
export interface GenerativeModel {
  generate(options: never): Promise<unknown>;
  readonly generation_config?: unknown;
}

/** Options of `knobsGenerate`: ours, and any other `generate()` option (`max_new_tokens`, `streamer`, ...). */
export interface KnobsGenerateOptions extends KnobsProcessorOptions {
  /** Receives each warning (default: `console.warn`). */
  readonly onWarning?: (message: string) => void;
  readonly [option: string]: unknown;
}

/** transformers.js's own sampling settings and the values that leave the chain alone (its defaults, but top_k). */
const OWN_KNOBS: Readonly<Record<string, { neutral: unknown; note: string }>> = {
  do_sample: { neutral: false, note: 'set by the mode' },
  temperature: { neutral: 1, note: 'transformers.js divides the logits by it before the chain' },
  repetition_penalty: { neutral: 1, note: 'transformers.js applies it before the chain' },
  top_k: { neutral: 50, note: 'its multinomial keeps only the top_k tokens' },
  top_p: { neutral: 1, note: 'transformers.js never applies it' },
  typical_p: { neutral: 1, note: 'transformers.js never applies it' },
  epsilon_cutoff: { neutral: 0, note: 'transformers.js never applies it' },
  eta_cutoff: { neutral: 0, note: 'transformers.js never applies it' },
  min_p: { neutral: null, note: 'transformers.js has no min-p' },
};

/**
 * Runs `model.generate()` with our chain as its sampling: the processor of
 * `knobsLogitsProcessor` on, and transformers.js's own knobs neutral (temperature 1,
 * repetition penalty 1; `do_sample: false` in `pick` mode, `do_sample: true, top_k: 0` in
 * `filter` mode, where a `seed` also seeds transformers.js's global generator). A sampling
 * knob given in `options` or set by the model's `generation_config.json` is overridden and
 * reported through `onWarning`: put it in the chain instead. `inputs` is the tokenizer's
 * output (`{ input_ids, attention_mask }`) or an `input_ids` tensor. Returns what
 * `generate()` returns.
 *
 * @example
 * import { knobsGenerate } from 'creativity-knobs/transformers';
 * const inputs = tokenizer('The weather today is');
 * const output = await knobsGenerate(model, inputs, 'top_p=0.9,min_p=0.05,temperature=0.8', { seed: 1, max_new_tokens: 20 });
 * tokenizer.batch_decode(output, { skip_special_tokens: true });
 */
export async function knobsGenerate<M extends GenerativeModel>(model: M, inputs: object, chain: ChainSpec | string, options: KnobsGenerateOptions = {}): Promise<Awaited<ReturnType<M['generate']>>> {
  const { seed, engine, mode = 'pick', onWarning = (message: string) => console.warn(message), ...others } = options;
  const rest: Record<string, unknown> = { ...others };
  const processor = knobsLogitsProcessor(chain, { ...(seed === undefined ? {} : { seed }), ...(engine === undefined ? {} : { engine }), mode });
  const modelConfig = (model.generation_config ?? {}) as Record<string, unknown>;
  for (const [name, { neutral, note }] of Object.entries(OWN_KNOBS)) {
    if (name in rest && rest[name] !== undefined) {
      onWarning(`knobsGenerate: ${name} = ${JSON.stringify(rest[name])} ignored (${note}): the chain does the sampling; put the knob in the chain instead`);
    } else if (name !== 'do_sample' && modelConfig[name] !== undefined && modelConfig[name] !== null && modelConfig[name] !== neutral) {
      onWarning(`knobsGenerate: the model's generation config sets ${name} = ${JSON.stringify(modelConfig[name])}, overridden (${note}): the chain does the sampling`);
    }
    delete rest[name];
  }
  const own = mode === 'pick' ? { do_sample: false, temperature: 1, repetition_penalty: 1 } : { do_sample: true, top_k: 0, temperature: 1, repetition_penalty: 1 };
  if (mode === 'filter' && seed !== undefined) transformers.random?.seed(seed);
  const extra = Array.isArray(rest.logits_processor) ? (rest.logits_processor as unknown[]) : [];
  delete rest.logits_processor;
  const modelInputs = 'dims' in inputs && 'data' in inputs ? { input_ids: inputs } : inputs;
  const generate = model.generate as unknown as (this: GenerativeModel, options: Record<string, unknown>) => Promise<Awaited<ReturnType<M['generate']>>>;
  return generate.call(model, { ...modelInputs, ...rest, ...own, logits_processor: [...extra, processor] });
}
