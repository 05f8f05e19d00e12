import type { ParsedStage } from '../samplers/spec.js';

/**
 * A chain as a short readable label: stages joined by ` → `, a stage with one parameter
 * as `name=value`, with several as `name(a=1, b=2)`, with none as its name.
 *
 * @example
 * chainLabel(parseChain('top_k=40,temperature=0.8')); // 'top_k=40 → temperature=0.8'
 */
export function chainLabel(stages: readonly ParsedStage[]): string {
  if (stages.length === 0) return 'no samplers (plain softmax)';
  return stages.map(stageLabel).join(' \u2192 ');
}

/**
 * One stage as `name=value`, `name(a=1, b=2)` or `name` (see `chainLabel`).
 *
 * @example
 * stageLabel({ name: 'top_p', parameters: { p: 0.9, min_keep: 2 } }); // 'top_p(p=0.9, min_keep=2)'
 */
export function stageLabel(stage: ParsedStage): string {
  const entries = Object.entries(stage.parameters);
  const show = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  if (entries.length === 0) return stage.name;
  if (entries.length === 1) return `${stage.name}=${show((entries[0] as [string, unknown])[1])}`;
  return `${stage.name}(${entries.map(([key, value]) => `${key}=${show(value)}`).join(', ')})`;
}
