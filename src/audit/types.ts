import type { LaneLimits } from '../experiments/scheduler.js';

/** Request fields in the vocabulary of OpenAI-compatible servers (`temperature`, `top_p`, `logit_bias`, ...). */
export type Fields = Readonly<Record<string, unknown>>;

/** A prompt the audit sends: plain text, or token ids (whose text may be unknown). */
export interface AuditPrompt {
  /** Short name for tables: `p0`, `ids3`, ... */
  readonly id: string;
  readonly text?: string;
  readonly tokens?: readonly number[];
}

/** One token of an answer, or one of its alternatives. */
export interface AnswerToken {
  /** The key the audit counts by: `id:17` when the target names token ids, else the token's text. */
  readonly key: string;
  readonly text: string;
  readonly id?: number;
  /** Natural-log probability, when the target reports it. */
  readonly logprob?: number;
  /** The most likely tokens at this position (asked for with `topLogprobs`). */
  readonly top?: readonly AnswerToken[];
}

/** What a target answered to one request. */
export type TargetAnswer =
  | { readonly status: 'ok'; readonly text: string; readonly tokens: readonly AnswerToken[] }
  | {
      readonly status: 'refused';
      /** The server's (or the client's) words. */
      readonly reason: string;
      /** True when the server answered with an error (HTTP 400/422); false when our client refused before sending. */
      readonly byServer: boolean;
    };

/** One request of an audit: one seeded completion. */
export interface TargetRequest {
  readonly prompt: AuditPrompt;
  /** Knob fields, the baseline's included. */
  readonly fields: Fields;
  /** The seed of this request (every request has its own, recorded with its answer). */
  readonly seed: number;
  readonly maxTokens: number;
  /** Ask for this many alternatives per token (the neutral probes). */
  readonly topLogprobs?: number;
  /** Ask the target to name tokens by id (default: whenever it can); `false` asks for their text. */
  readonly tokenIds?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Something the audit measures: a server, an API or a local runtime. Requests use the
 * request-field vocabulary of OpenAI-compatible servers; each target translates them.
 */
export interface AuditTarget {
  /** `openai-compatible:vllm`, `openai`, `anthropic`, `gguf-native`, `transformers.js`. */
  readonly kind: string;
  /** Shown in tables and the report. */
  readonly label: string;
  /** What the JSON output's `target` says (never a key). */
  readonly description: Readonly<Record<string, unknown>>;
  /** Engine profiles whose rules describe this target, preferred first (a name that no profile has is skipped). */
  readonly profiles: readonly string[];
  /** Why the profile was chosen, or why there is none. */
  readonly profileNote?: string;
  /** The knobs audited when none are named, and where the list comes from. */
  readonly knobs: readonly string[];
  readonly knobsSource: string;
  /** Fields sent with every request so that the engine's own defaults do not apply (temperature 1, top_p 1, ...). */
  readonly baseline: Fields;
  /** `full`: the target gives whole next-token distributions (`distribution`); `top`: top log-probabilities; `none`. */
  readonly logprobs: 'full' | 'top' | 'none';
  /** Most alternatives per token it returns. */
  readonly maxTopLogprobs: number;
  /** Its answers name token ids, and it takes prompts of token ids. */
  readonly tokenIds: boolean;
  /** It takes a seed per request. */
  readonly seeds: boolean;
  /** Requests may cost money (a cost preview and a confirmation come first). */
  readonly paid: boolean;
  readonly limits: LaneLimits;
  /** Vocabulary size when known (local targets). */
  readonly vocabSize?: number;
  /**
   * What the logits the engine samples from are, as far as the audit can know: `exact` (the
   * target hands over its raw logits), `logprobs` (its logits are normalised
   * log-probabilities: every model `knobs serve` runs), or `unknown` (only probabilities are
   * seen). The multiplicative repetition penalty acts on the sign of raw logits, so it is
   * tested only when they are known.
   */
  readonly rawLogits?: 'exact' | 'logprobs' | 'unknown';
  /** The whole next-token distribution (natural logs by token id), for `logprobs: 'full'`. */
  distribution?(prompt: AuditPrompt): Promise<ArrayLike<number>>;
  /** Token ids of a text, for targets that tokenize in-process. */
  encode?(text: string): number[];
  /** The text of a token id, for tables. */
  tokenText?(id: number): string;
  send(request: TargetRequest): Promise<TargetAnswer>;
  close?(): Promise<void>;
}

/** The audit's finding about one knob setting. */
export type Verdict = 'applied' | 'ignored' | 'different' | 'refused' | 'untestable';

/** One cell of a knob's comparison: a token (or all other tokens), expected under each model and observed. */
export interface CellRow {
  readonly token: string;
  /** `null`: unknown (the tail past the top log-probabilities; the test conditions on the listed tokens). */
  readonly applied: number | null;
  readonly ignored: number | null;
  readonly observed: number;
}

/** One row of the audit (`knobs audit --json` → `knobs[]`). */
export interface KnobResult {
  /** The request field (or group: `xtc`, `dry`, `dynatemp`, `mirostat`), or `seed`. */
  readonly knob: string;
  /** The fields sent to set it (a temperature-0 row is `{ temperature: 0 }`). */
  readonly setting: Fields | null;
  readonly verdict: Verdict;
  /**
   * The p-value of the model the verdict rejects: for `applied`, of "ignored"; for
   * `ignored`, of "applied"; for `different`, the larger of the two (both rejected); for
   * `seed` and temperature 0, of "not honoured". `null` for `refused` and `untestable`.
   */
  readonly p_value: number | null;
  /** Draws (requests) the verdict rests on. */
  readonly n: number;
  readonly evidence: KnobEvidence;
}

/** How a verdict was reached. */
export interface KnobEvidence {
  /** One sentence: why this verdict. */
  readonly summary: string;
  readonly alpha?: number;
  readonly prompt?: AuditPrompt;
  /** The first and last seed of the draws (each request has its own). */
  readonly seeds?: readonly [number, number];
  /** Fit of the draws to "applied" and to "ignored". */
  readonly applied?: FitSummary;
  readonly ignored?: FitSummary;
  readonly log_likelihood_ratio?: number;
  /** The draws the plan asked for and why: power against "ignored" (and against the nearby setting). */
  readonly plan?: PlanSummary;
  /** When neither model fits: the settings of the same knob that do. */
  readonly best_fit?: { readonly settings: readonly Fields[]; readonly p_value: number } | null;
  readonly cells?: readonly CellRow[];
  /** The engine profile the expected distributions follow (or null), and notes on it. */
  readonly profile?: string | null;
  readonly notes?: readonly string[];
  /** A refused knob: the server's words, and whether it was an error answer or a refusal of our client. */
  readonly refusal?: { readonly reason: string; readonly by_server: boolean };
  readonly [extra: string]: unknown;
}

/** A goodness-of-fit test (likelihood ratio G, with Pearson's statistic of the same cells), for the evidence. */
export interface FitSummary {
  readonly p_value: number;
  readonly g: number;
  readonly chi2: number;
  readonly df: number;
  /** A token drawn that the model forbids (probability 0), with its count. */
  readonly impossible?: { readonly token: string; readonly count: number };
}

/** The plan's numbers, for the evidence. */
export interface PlanSummary {
  readonly n_needed: number;
  readonly power: number;
  /** Rejecting "ignored" when applied, and "applied" when ignored, each with this power at `alpha`. */
  readonly effect: string;
  readonly resolution?: { readonly setting: Fields; readonly n_needed: number; readonly power: number } | { readonly setting: Fields; readonly note: string };
}

/** A finding about the target as a whole. */
export interface CheckResult {
  readonly check: 'neutral' | 'logprobs' | 'refusals';
  readonly result: string;
  readonly p_value: number | null;
  readonly n: number;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** What `auditTarget` found (`knobs audit --json`). */
export interface AuditResult {
  readonly target: Readonly<Record<string, unknown>>;
  readonly knobs: readonly KnobResult[];
  readonly checks: readonly CheckResult[];
  readonly settings: {
    readonly alpha: number;
    readonly power: number;
    readonly min_n: number;
    readonly max_n: number;
    readonly seed: number;
    readonly profile: string | null;
    readonly profile_note?: string;
    readonly knobs_source: string;
  };
  readonly requests: number;
  readonly elapsed_ms: number;
}
