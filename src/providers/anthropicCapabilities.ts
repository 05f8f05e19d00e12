import type { KnobRange, KnobSettings, ModelCapabilities } from './types.js';

const FULL: Readonly<Record<string, KnobRange>> = {
  temperature: { min: 0, max: 1, default: 1, note: 'Anthropic temperatures are in [0, 1]' },
  top_p: { min: 0, max: 1 },
  top_k: { min: 0, max: 2147483647, integer: true },
};

/** The Claude model families by how they treat sampling knobs. */
export type ClaudeSamplingRule = 'full' | 'exclusive' | 'default-only';

/**
 * The sampling rule of a Claude model, from its name (version numbers, so that dated
 * snapshots and later versions resolve too), as documented in Anthropic's migration guides:
 *
 * | rule | models | knobs |
 * |---|---|---|
 * | `full` | Claude 3.x, Claude Sonnet 4 and Opus 4 (4.0) | temperature in [0, 1], top_p, top_k, together |
 * | `exclusive` | Opus 4.1, Sonnet 4.5 and 4.6, Haiku 4.5, Opus 4.5 and 4.6 | temperature or top_p, not both; top_k |
 * | `default-only` | Opus 4.7 and later, every Claude 5 model, Fable, Mythos | only the defaults: no temperature other than 1, no top_p other than 1, no top_k |
 *
 * Names that match no pattern get `full` with `known: false`; a refusal from the API is
 * then reported as rejected.
 *
 * @example
 * claudeSamplingRule('claude-sonnet-4-5-20250929'); // { rule: 'exclusive', known: true }
 */
export function claudeSamplingRule(model: string): { rule: ClaudeSamplingRule; known: boolean } {
  const id = model.toLowerCase().replace(/^anthropic\//, '');
  if (/^claude-(fable|mythos)/.test(id)) return { rule: 'default-only', known: true };
  const legacy = /^claude-(\d+)(?:-(\d))?-(opus|sonnet|haiku)/.exec(id);
  if (legacy) return { rule: Number(legacy[1]) >= 4 ? 'exclusive' : 'full', known: Number(legacy[1]) < 4 };
  const named = /^claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(id);
  if (named) {
    const version = Number(named[2]) + Number(named[3] ?? 0) / 10;
    if (version >= 4.7) return { rule: 'default-only', known: true };
    if (version >= 4.1) return { rule: 'exclusive', known: true };
    return { rule: 'full', known: true };
  }
  if (/^claude-(2|instant)/.test(id)) return { rule: 'full', known: true };
  return { rule: 'full', known: false };
}

/**
 * What a Claude model accepts. With extended thinking (`settings.thinking` of type
 * `enabled` or `adaptive`) temperature must stay 1, top_p in [0.95, 1], and top_k is refused.
 * The Messages API has no `n` (the provider sends one request per completion, at most 16),
 * no seed and no log-probabilities.
 *
 * @example
 * anthropicCapabilities('claude-haiku-4-5').exclusive; // [['temperature', 'top_p']]
 * anthropicCapabilities('claude-opus-4-7').refused.top_k; // 'claude-opus-4-7 refuses top_k: ...'
 */
export function anthropicCapabilities(model: string, settings: KnobSettings = {}): ModelCapabilities {
  const { rule, known } = claudeSamplingRule(model);
  const thinking = settings.thinking as { type?: string } | undefined;
  const thinkingOn = thinking !== undefined && thinking !== null && (thinking.type === 'enabled' || thinking.type === 'adaptive');
  let knobs: Record<string, KnobRange> = { ...FULL };
  const refused: Record<string, string> = {};
  const notes: string[] = [];
  if (rule === 'default-only') {
    knobs = { temperature: { min: 1, max: 1, default: 1 }, top_p: { min: 1, max: 1, default: 1 } };
    refused.top_k = `${model} refuses top_k: sampling parameters were removed from Claude Opus 4.7 and later models`;
    notes.push('sampling parameters were removed from this model: only their defaults are accepted, and they are not sent');
  } else if (thinkingOn) {
    knobs = { temperature: { min: 1, max: 1, default: 1 }, top_p: { min: 0.95, max: 1 } };
    refused.top_k = `${model} refuses top_k with extended thinking`;
  }
  if (!known) notes.push(`${model} is not in the capability table: sent as is; refusals from Anthropic are reported as rejected`);
  return {
    provider: 'anthropic',
    model,
    known,
    family: `claude-${rule}`,
    knobs,
    refused,
    exclusive: rule === 'exclusive' ? [['temperature', 'top_p']] : [],
    options: ['thinking', 'metadata', 'service_tier', 'output_config'],
    passThrough: false,
    logprobs: { supported: false, maxTop: 0 },
    maxN: 16,
    seed: false,
    chain: false,
    notes,
  };
}
