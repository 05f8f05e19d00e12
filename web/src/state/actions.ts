import { batch, signal } from '@preact/signals';
import { type EngineName } from 'creativity-knobs';
import { clampToPreset } from '../knobs/limits.js';
import { getPreset } from '../knobs/presets.js';
import { initialParams, moveStage, newKey, type Stage } from './stages.js';
import { engine, presetId, stages } from './store.js';

/** After a move, the stage whose button should keep the focus (moved DOM nodes lose it). */
export const focusRequest = signal<{ key: number; control: string } | undefined>(undefined);

function update(change: (current: readonly Stage[]) => Stage[]): void {
  stages.value = clampToPreset(change(stages.value), getPreset(presetId.value));
}

/** Sets one parameter of one stage. */
export function setParam(key: number, parameter: string, value: unknown): void {
  update((current) => current.map((stage) => (stage.key === key ? { ...stage, params: { ...stage.params, [parameter]: value } } : stage)));
}

/** Unsets an optional parameter (the engine's default applies again). */
export function unsetParam(key: number, parameter: string): void {
  update((current) =>
    current.map((stage) => {
      if (stage.key !== key) return stage;
      const params = { ...stage.params };
      delete params[parameter];
      return { ...stage, params };
    }),
  );
}

/** Switches a stage on or off (off stages stay in the editor, out of the chain). */
export function toggleStage(key: number, enabled: boolean): void {
  update((current) => current.map((stage) => (stage.key === key ? { ...stage, enabled } : stage)));
}

/** Removes a stage. */
export function removeStage(key: number): void {
  update((current) => current.filter((stage) => stage.key !== key));
}

/** Moves a stage up (−1) or down (+1), keeping the focus on the button that moved it. */
export function moveStageBy(key: number, delta: number): void {
  const index = stages.value.findIndex((stage) => stage.key === key);
  if (index < 0) return;
  batch(() => {
    stages.value = moveStage(stages.value, index, delta);
    focusRequest.value = { key, control: delta < 0 ? 'up' : 'down' };
  });
}

/** Appends a stage of sampler `name` with its starting parameters. */
export function addStage(name: string): void {
  update((current) => [...current, { key: newKey(), name, params: initialParams(name), enabled: true }]);
}

/** Chooses an engine profile; an engine preset becomes Custom (its engine was its point). */
export function chooseEngine(name: EngineName): void {
  batch(() => {
    engine.value = name;
    if (!getPreset(presetId.value).allowed && presetId.value !== 'custom' && presetId.value !== name) presetId.value = 'custom';
  });
}
