/** One row of Holtzman et al.'s (2020) Table 1. */
export interface PaperRow {
  readonly label: string;
  readonly perplexity: number;
  readonly selfBleu4: number;
  readonly zipf: number;
  /** Percentage of generations that end in a loop (0–100). */
  readonly repetitionPercent: number;
  /** HUSE (human + statistical evaluation); null where the paper prints "-". */
  readonly huse: number | null;
}

/**
 * Table 1 of Holtzman, Buys, Du, Forbes and Choi (2020), "The Curious Case of Neural Text
 * Degeneration" (ICLR 2020): 5,000 continuations of up to 200 tokens by GPT-2 Large of
 * WebText openings of 1–40 tokens. Keyed by our strategy names; the paper has no rows for
 * beam width 4, temperature 0.7 alone, min-p or typical-p.
 */
export const HOLTZMAN_TABLE_1: Readonly<Record<string, PaperRow>> = {
  human: { label: 'Human', perplexity: 12.38, selfBleu4: 0.31, zipf: 0.93, repetitionPercent: 0.28, huse: null },
  greedy: { label: 'Greedy', perplexity: 1.5, selfBleu4: 0.5, zipf: 1.0, repetitionPercent: 73.66, huse: null },
  'beam-16': { label: 'Beam, b=16', perplexity: 1.48, selfBleu4: 0.44, zipf: 0.94, repetitionPercent: 28.94, huse: null },
  'stochastic-beam-16': { label: 'Stochastic Beam, b=16', perplexity: 19.2, selfBleu4: 0.28, zipf: 0.91, repetitionPercent: 0.32, huse: null },
  pure: { label: 'Pure Sampling', perplexity: 22.73, selfBleu4: 0.28, zipf: 0.93, repetitionPercent: 0.22, huse: 0.67 },
  'temperature-0.9': { label: 'Sampling, t=0.9', perplexity: 10.25, selfBleu4: 0.35, zipf: 0.96, repetitionPercent: 0.66, huse: 0.79 },
  'top-k-40': { label: 'Top-k=40', perplexity: 6.88, selfBleu4: 0.39, zipf: 0.96, repetitionPercent: 0.78, huse: 0.19 },
  'top-k-640': { label: 'Top-k=640', perplexity: 13.82, selfBleu4: 0.32, zipf: 0.96, repetitionPercent: 0.28, huse: 0.94 },
  'top-k-40-t-0.7': { label: 'Top-k=40, t=0.7', perplexity: 3.48, selfBleu4: 0.44, zipf: 1.0, repetitionPercent: 8.86, huse: 0.08 },
  'top-p-0.95': { label: 'Nucleus p=0.95', perplexity: 13.13, selfBleu4: 0.32, zipf: 0.95, repetitionPercent: 0.36, huse: 0.97 },
};
