/**
 * Anything that yields next-token logits: the embedded n-gram model, GGUF models through
 * node-llama-cpp, remote log-probabilities. Token ids are integers in [0, vocabSize).
 */
export interface LanguageModel {
  /** A stable identifier, e.g. `embedded:brown-kn4` or `gguf:/path/model.gguf`. */
  readonly id: string;
  /** Number of token ids; `nextLogits` returns this many values. */
  readonly vocabSize: number;
  /** Text to token ids. */
  encode(text: string): number[];
  /** Token ids to text. */
  decode(tokens: readonly number[]): string;
  /** The text of one token id (for tables; may be a partial UTF-8 sequence shown escaped). */
  tokenText(token: number): string;
  /**
   * Natural-log probabilities (or logits: only differences matter) of every token id given
   * the context, as a full-vocabulary array. `-Infinity` marks impossible tokens. When
   * `out` is given (length `vocabSize`) it is filled and returned, so callers can reuse it.
   */
  nextLogits(context: readonly number[], out?: Float32Array): Float32Array | Promise<Float32Array>;
  /** Token ids that end a generation (may be empty). */
  readonly stopTokens: readonly number[];
}
