import { InvalidInputError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { DecodingPrompt } from './compareDecoding.js';

/** A document to take a prompt from: its text (encoded with the tokenizer) or its token ids. */
export type PromptDocument = { readonly text: string; readonly id?: string } | { readonly tokens: readonly number[]; readonly id?: string };

/** Options of `heldOutPrompts`. */
export interface HeldOutPromptOptions {
  /** How many prompts (at most one per document). */
  count: number;
  /** Tokens of each prompt (default 40, the paper's upper bound for its WebText openings). */
  promptTokens?: number;
  /** Tokens of the human reference that follows each prompt. */
  referenceTokens: number;
}

/**
 * Prompts from the openings of documents, with what the author wrote next as the human
 * reference: document d's prompt is its first `promptTokens` tokens and its reference the
 * next `referenceTokens`. The documents are taken evenly spread over the list (document
 * ⌊i · D / count⌋ for i = 0 … count − 1), so that a list ordered by genre gives every genre
 * its share. Documents too short for prompt + reference are skipped (the next one is tried).
 *
 * @example
 * heldOutPrompts(heldOut, model, { count: 20, referenceTokens: 60 });
 */
export function heldOutPrompts(
  documents: readonly (PromptDocument | string)[],
  tokenizer: { encode(text: string): number[] },
  options: HeldOutPromptOptions,
): DecodingPrompt[] {
  const count = checkInteger('count', options.count, 1);
  const promptTokens = checkInteger('promptTokens', options.promptTokens ?? 40, 1);
  const referenceTokens = checkInteger('referenceTokens', options.referenceTokens, 1);
  if (count > documents.length) throw new InvalidInputError(`asked for ${count} prompts but there are ${documents.length} documents: expected at most ${documents.length}`);
  const prompts: DecodingPrompt[] = [];
  const used = new Set<number>();
  for (let i = 0; i < count; i++) {
    for (let index = Math.floor((i * documents.length) / count); index < documents.length; index++) {
      if (used.has(index)) continue;
      used.add(index);
      const document = documents[index] as PromptDocument | string;
      const tokens = typeof document === 'string' ? tokenizer.encode(document) : 'tokens' in document ? document.tokens : tokenizer.encode(document.text);
      if (tokens.length < promptTokens + referenceTokens) continue;
      const id = typeof document === 'string' ? `document ${index}` : (document.id ?? `document ${index}`);
      prompts.push({ prompt: tokens.slice(0, promptTokens), reference: tokens.slice(promptTokens, promptTokens + referenceTokens), source: id });
      break;
    }
  }
  if (prompts.length < count) throw new InvalidInputError(`only ${prompts.length} documents are long enough for ${promptTokens} + ${referenceTokens} tokens: expected ${count}`);
  return prompts;
}
