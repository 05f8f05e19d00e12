import { useEffect, useRef } from 'preact/hooks';
import { samplerDefinition } from 'creativity-knobs';
import type { Preset } from '../knobs/presets.js';
import { focusRequest, moveStageBy, removeStage, toggleStage } from '../state/actions.js';
import type { Stage } from '../state/stages.js';
import { fmtInt } from './format.js';
import { ParamControl } from './ParamControl.js';

/** Props of `StageCard`. */
export interface StageCardProps {
  readonly stage: Stage;
  readonly index: number;
  readonly count: number;
  readonly preset: Preset;
  /** Tokens left after this stage (undefined when off or not computed). */
  readonly kept?: number;
  /** Whether the name of this sampler occurs more than once in the chain. */
  readonly duplicate: boolean;
  /** Set when the engine profile lacks this sampler (the chain is then refused). */
  readonly missing?: string;
}

/** One stage of the chain: on/off, its parameters, move up/down, remove, and how many tokens it leaves. */
export function StageCard({ stage, index, count, preset, kept, duplicate, missing }: StageCardProps) {
  const definition = samplerDefinition(stage.name);
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const request = focusRequest.value;
  useEffect(() => {
    if (request?.key !== stage.key) return;
    const target = request.control === 'up' ? (index > 0 ? up.current : down.current) : index < count - 1 ? down.current : up.current;
    target?.focus();
    focusRequest.value = undefined;
  }, [request, index]);
  const fixedOrder = preset.allowed !== undefined;
  const label = duplicate ? `${stage.name} (stage ${index + 1})` : stage.name;
  return (
    <li class={`stage${stage.enabled ? '' : ' off'}`} data-stage={stage.name} aria-label={`stage ${index + 1}: ${stage.name}`}>
      <div class="stage-head">
        <input type="checkbox" checked={stage.enabled} aria-label={`Use ${label}`} onChange={(event) => toggleStage(stage.key, (event.currentTarget as HTMLInputElement).checked)} />
        <span class="stage-name">
          <span class="stage-index">{index + 1}</span> {stage.name}
        </span>
        <span class="stage-kept" data-testid={`kept-after-${index}`} data-value={kept ?? ''}>
          {stage.enabled && kept !== undefined ? `${fmtInt(kept)} left` : stage.enabled ? '' : 'off'}
        </span>
        <span class="stage-buttons">
          <button ref={up} type="button" aria-label={`Move ${label} up`} disabled={fixedOrder || index === 0} onClick={() => moveStageBy(stage.key, -1)}>
            ↑
          </button>
          <button ref={down} type="button" aria-label={`Move ${label} down`} disabled={fixedOrder || index === count - 1} onClick={() => moveStageBy(stage.key, 1)}>
            ↓
          </button>
          <button type="button" aria-label={`Remove ${label}`} onClick={() => removeStage(stage.key)}>
            ✕
          </button>
        </span>
      </div>
      <p class="stage-summary">{definition.summary}</p>
      {missing && stage.enabled ? <p class="problem small">{missing}: switch it off, remove it, or pick another engine.</p> : null}
      {definition.parameters.map(({ name: parameter }) => (
        <ParamControl key={parameter} stage={stage} definition={definition} parameter={parameter} preset={preset} name={`${label} ${parameter}`} />
      ))}
    </li>
  );
}
