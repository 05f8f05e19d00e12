import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** Props of `Slider`. */
export interface SliderProps {
  /** Unique id of the range input (the number field gets `${id}-number`). */
  readonly id: string;
  /** Visible label. */
  readonly label: string;
  /** Accessible name of the slider (defaults to the label). */
  readonly name?: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly disabled?: boolean;
  /** Shown under the slider and read as its description. */
  readonly hint?: string;
  /** Shown instead of the value when the parameter is unset (the engine's default applies). */
  readonly unset?: boolean;
  readonly onChange: (value: number) => void;
  /** Shown after the hint (a reset button). */
  readonly extra?: ComponentChildren;
}

/**
 * A labelled range input with a number field beside it: arrows, Page Up/Down, Home and End
 * move the slider; the number field takes exact values. A typed value outside [min, max]
 * is refused with a message naming the value and the range.
 */
export function Slider(props: SliderProps) {
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const hintId = `${props.id}-hint`;
  const name = props.name ?? props.label;
  const commit = (text: string): void => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      setProblem(`${name} = ${JSON.stringify(text)} is not a number`);
      return;
    }
    if (value < props.min || value > props.max) {
      setProblem(`${name} = ${value} is out of range: expected a number in [${props.min}, ${props.max}]`);
      return;
    }
    setProblem(undefined);
    props.onChange(value);
  };
  return (
    <div class={`slider${props.unset ? ' unset' : ''}`}>
      <label for={props.id}>{breakable(props.label)}</label>
      <input
        type="range"
        id={props.id}
        aria-label={name}
        aria-describedby={props.hint || problem || props.extra ? hintId : undefined}
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onInput={(event) => {
          setProblem(undefined);
          props.onChange(Number((event.currentTarget as HTMLInputElement).value));
        }}
      />
      <input
        type="number"
        id={`${props.id}-number`}
        aria-label={`${name} (exact value)`}
        min={props.min}
        max={props.max}
        step="any"
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => commit((event.currentTarget as HTMLInputElement).value)}
      />
      {props.hint || problem || props.extra ? (
        <small id={hintId} class={problem ? 'problem' : undefined} role={problem ? 'alert' : undefined}>
          {problem ?? (props.unset ? `${props.hint ? `${props.hint} ` : ''}(engine default until moved)` : props.hint)}
          {problem ? null : props.extra}
        </small>
      ) : null}
    </div>
  );
}

/** A parameter name that may wrap after its underscores (`allowed_length`). */
export function breakable(name: string): string {
  return name.replace(/_/g, '_\u200b');
}
