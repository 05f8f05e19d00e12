import { batch, computed, signal } from '@preact/signals';
import { ENGINE_NAMES, type EngineName, getProfile, softmax, type StageSpec } from 'creativity-knobs';
import type { ServerInfo } from '../api/client.js';
import { analyze, rankByProbability, type Analysis } from '../analysis/analyze.js';
import { clampToPreset } from '../knobs/limits.js';
import { getPreset, type PresetId } from '../knobs/presets.js';
import type { LoadedInput, SourceSpec } from './source.js';
import { samplerNames, sortStages, specFromStages, stagesFromSpec, type Stage } from './stages.js';

/** What the server offers (models, OpenAI key); `undefined` until known or without a server. */
export const serverInfo = signal<ServerInfo | undefined>(undefined);

export const presetId = signal<PresetId>('custom');
export const engine = signal<EngineName>('knobs');
export const stages = signal<Stage[]>(stagesFromSpec(getPreset('custom').chain));
export const seed = signal(0);
/** Token ids already generated, for penalties on examples and pasted input (`3,1,4`). */
export const historyText = signal('');
/** Rows in the token table and bars. */
export const topN = signal(20);

export const source = signal<SourceSpec>({ kind: 'example', name: 'top-p-8' });
export const input = signal<LoadedInput | undefined>(undefined);
export const inputError = signal<string | undefined>(undefined);
export const loading = signal(false);
/** Generated token ids (model sources): the context is the prompt followed by these. */
export const generated = signal<readonly number[]>([]);

/** The chain the page runs, in the DESIGN.md form. */
export const chainSpec = computed<StageSpec[]>(() => specFromStages(stages.value));

/** The history token ids parsed from `historyText` (invalid entries are reported by `historyError`). */
export const historyIds = computed<number[]>(() =>
  historyText.value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number)
    .filter((value) => Number.isInteger(value) && value >= 0),
);

/** The sampler options every view uses: seed, engine, prompt and history. */
export const samplerOptions = computed(() => {
  const loaded = input.value;
  const model = source.value.kind === 'model';
  return {
    seed: seed.value,
    engine: engine.value,
    prompt: model ? [...(loaded?.prompt ?? [])] : [],
    history: model ? [...generated.value] : historyIds.value,
  };
});

/** Token ids by input probability (recomputed only when the input changes). */
export const rank = computed<Int32Array | undefined>(() => {
  const loaded = input.value;
  if (!loaded) return undefined;
  return rankByProbability(softmax(loaded.logits));
});

let lastGood: { input: LoadedInput; value: Analysis } | undefined;

/**
 * The chain's analysis of the current input. When the chain is refused (a value the
 * engine rejects), `error` says why and `value` is the last good analysis of the same
 * input, marked `stale`, so the views stay in place while the user fixes the knob.
 */
export const analysis = computed<{ value?: Analysis; error?: string; stale?: boolean }>(() => {
  const loaded = input.value;
  if (!loaded) return {};
  try {
    const value = analyze(loaded.logits, chainSpec.value, samplerOptions.value);
    lastGood = { input: loaded, value };
    return { value };
  } catch (error) {
    const message = (error as Error).message;
    return lastGood?.input === loaded ? { value: lastGood.value, error: message, stale: true } : { error: message };
  }
});

/** Applies a preset: its engine, its chain (samplers the registry lacks are skipped). */
export function applyPreset(id: PresetId): void {
  const preset = getPreset(id);
  batch(() => {
    presetId.value = preset.id;
    engine.value = preset.engine;
    stages.value = clampToPreset(stagesFromSpec(preset.chain.filter(isRegistered)), preset);
  });
}

/** Sorts the stages into the current engine's default order. */
export function sortByEngine(): void {
  stages.value = sortStages(stages.value, getProfile(engine.value).defaultOrder);
}

/** Every engine profile name, for the side-by-side view. */
export const engineNames: readonly EngineName[] = ENGINE_NAMES;

function isRegistered(stage: StageSpec): boolean {
  return samplerNames().includes(Object.keys(stage)[0] ?? '');
}
