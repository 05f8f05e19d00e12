/** Where the distribution comes from. */
export type SourceSpec =
  | { readonly kind: 'example'; readonly name: string }
  | { readonly kind: 'paste'; readonly mode: 'logits' | 'probs'; readonly text: string }
  | { readonly kind: 'model'; readonly model: string; readonly prompt: string }
  | { readonly kind: 'openai'; readonly model: string; readonly prompt: string };

/** A distribution ready for the views. */
export interface LoadedInput {
  readonly logits: Float32Array;
  /** The text of a token id, for labels. */
  readonly tokenText: (id: number) => string;
  /** A short description for titles. */
  readonly label: string;
  /** The `knobs` flags that read the same input (`--example top-p-8`). */
  readonly cli: string;
  /** Prompt token ids (model sources), for penalties and generation. */
  readonly prompt?: readonly number[];
  /** OpenAI sources: the probability mass the top alternatives cover. */
  readonly coverage?: number;
}

/** Labels for the source picker. */
export const SOURCE_KINDS: readonly { kind: SourceSpec['kind']; title: string }[] = [
  { kind: 'model', title: 'Prompt on a local model' },
  { kind: 'example', title: 'Built-in example' },
  { kind: 'paste', title: 'Pasted logits or probabilities' },
  { kind: 'openai', title: 'OpenAI top log-probabilities' },
];

/** A token label: quotes make spaces and newlines visible. */
export function showToken(text: string): string {
  return JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"');
}
