/** Anything that gives the log-probability of one token after a context. */
export interface TokenScorer {
  /** Natural log of P(token | context); the context is read as the start of a document. */
  logProb(context: readonly number[], token: number): number;
}

/** Perplexity of a model on held-out documents. */
export interface HeldOutResult {
  /** exp(−(1/N) Σ ln P(token | preceding tokens of its document)). */
  readonly perplexity: number;
  /** Mean negative log-likelihood in nats per token. */
  readonly crossEntropy: number;
  /** N: every token of every document plus one end-of-document token each. */
  readonly tokens: number;
}

/**
 * Held-out perplexity: every token of each document is predicted from the tokens before it
 * in that document (the model conditions on the document start itself), and so is the
 * boundary token that ends the document.
 *
 * @example
 * heldOutPerplexity(model, [[976, 11122, 4044, 382]], END_OF_TEXT).perplexity;
 */
export function heldOutPerplexity(model: TokenScorer, documents: readonly (readonly number[])[], boundary: number): HeldOutResult {
  let sum = 0;
  let tokens = 0;
  for (const document of documents) {
    const context: number[] = [];
    for (const token of [...document, boundary]) {
      sum -= model.logProb(context, token);
      tokens++;
      context.push(token);
    }
  }
  const crossEntropy = tokens === 0 ? 0 : sum / tokens;
  return { perplexity: Math.exp(crossEntropy), crossEntropy, tokens };
}
