import { useEffect, useState } from 'preact/hooks';
import { getProfile, type SamplerDefinition } from 'creativity-knobs';
import { effectiveRange, presetLimit } from '../knobs/limits.js';
import type { Preset } from '../knobs/presets.js';
import { isJsonParam } from '../knobs/ranges.js';
import { setParam, unsetParam } from '../state/actions.js';
import { controlFor, type Stage } from '../state/stages.js';
import { engine } from '../state/store.js';
import { engineDefault } from '../knobs/engineDefaults.js';
import { breakable, Slider } from './Slider.js';

/** Props of `ParamControl`. */
export interface ParamControlProps {
  readonly stage: Stage;
  readonly definition: SamplerDefinition;
  readonly parameter: string;
  readonly preset: Preset;
  /** The slider's accessible name, unique on the page (`top_p p`, or `top_p p (stage 3)`). */
  readonly name: string;
}

/** The control of one parameter: a slider from the range table, a JSON field, or a number field. */
export function ParamControl({ stage, definition, parameter, preset, name }: ParamControlProps) {
  const control = controlFor(definition, parameter);
  const id = `stage-${stage.key}-${parameter}`;
  const value = stage.params[parameter];
  if (isJsonParam(control)) {
    const limit = presetLimit(preset, stage.name, parameter);
    const hint = limit ? `${control.hint ?? ''} ${preset.title} accepts values in [${limit.min}, ${limit.max}].` : control.hint;
    return <JsonField id={id} label={parameter} name={name} value={value ?? control.initial} hint={hint} onChange={(next) => setParam(stage.key, parameter, next)} />;
  }
  if (control === undefined) {
    return (
      <Slider
        id={id}
        label={parameter}
        name={name}
        value={typeof value === 'number' ? value : 0}
        min={-1e6}
        max={1e6}
        step={0.01}
        hint="no range known for this parameter"
        onChange={(next) => setParam(stage.key, parameter, next)}
      />
    );
  }
  const range = effectiveRange(preset, stage.name, parameter, control);
  const unset = typeof value !== 'number';
  const current = unset ? (engineDefault(getProfile(engine.value), stage.name, parameter) ?? control.initial) : (value as number);
  const providerNote = range.limit
    ? range.fixed
      ? `${preset.title}: fixed at ${range.min}${range.limit.note ? `, ${range.limit.note}` : ''}`
      : `${preset.title} ${range.limit.field ?? parameter} accepts [${range.min}, ${range.max}]`
    : undefined;
  const hint = [control.hint, providerNote].filter(Boolean).join(' · ');
  if (control.options) {
    return (
      <div class="slider">
        <label for={id}>{breakable(parameter)}</label>
        <select id={id} aria-label={name} value={String(current)} disabled={range.fixed} onChange={(event) => setParam(stage.key, parameter, Number((event.currentTarget as HTMLSelectElement).value))}>
          {control.options.map((option) => (
            <option key={option} value={String(option)}>
              {option}
            </option>
          ))}
        </select>
      </div>
    );
  }
  return (
    <Slider
      id={id}
      label={parameter}
      name={name}
      value={current}
      min={range.min}
      max={range.max}
      step={control.integer ? 1 : range.step}
      disabled={range.fixed}
      unset={unset}
      hint={hint || undefined}
      onChange={(next) => setParam(stage.key, parameter, control.integer ? Math.round(next) : next)}
      extra={
        control.optional && !unset && !range.fixed ? (
          <button type="button" class="link" aria-label={`Reset ${name} to the engine default`} onClick={() => unsetParam(stage.key, parameter)}>
            use the engine default
          </button>
        ) : null
      }
    />
  );
}

/** A JSON value edited as text; applied when it parses. */
function JsonField(props: { id: string; label: string; name: string; value: unknown; hint?: string; onChange: (value: unknown) => void }) {
  const [text, setText] = useState(JSON.stringify(props.value));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => setText(JSON.stringify(props.value)), [JSON.stringify(props.value)]);
  return (
    <div class="slider json">
      <label for={props.id}>{breakable(props.label)}</label>
      <input
        id={props.id}
        type="text"
        spellcheck={false}
        aria-label={props.name}
        aria-describedby={`${props.id}-hint`}
        value={text}
        onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)}
        onChange={() => {
          try {
            props.onChange(JSON.parse(text));
            setProblem(undefined);
          } catch (error) {
            setProblem(`${props.name} = ${text} is not valid JSON: ${(error as Error).message}`);
          }
        }}
      />
      <small id={`${props.id}-hint`} class={problem ? 'problem' : undefined} role={problem ? 'alert' : undefined}>
        {problem ?? props.hint}
      </small>
    </div>
  );
}
