import { batch, effect } from '@preact/signals';
import { ENGINE_NAMES, type EngineName } from 'creativity-knobs';
import { clampToPreset } from '../knobs/limits.js';
import { getPreset, PRESET_IDS, type PresetId } from '../knobs/presets.js';
import type { SourceSpec } from './source.js';
import { stageSpec, stagesFromSpec } from './stages.js';
import { engine, generated, historyText, presetId, seed, source, stages, topN } from './store.js';

/** Longest pasted text kept in the URL (longer input is not shareable by link). */
const MAX_URL_TEXT = 6000;

/**
 * The page's state as URL search parameters: `preset`, `engine`, `chain` (every stage,
 * JSON), `off` (positions of stages switched off), `seed`, `history`, `top`, the source
 * (`src` = example | paste | model | openai, with `example`, `mode` + `text`, `model` +
 * `prompt`) and `gen` (generated token ids). The same link restores the same page.
 */
export function stateToSearch(): string {
  const params = new URLSearchParams();
  const spec = source.value;
  params.set('src', spec.kind);
  if (spec.kind === 'example') params.set('example', spec.name);
  if (spec.kind === 'paste') {
    params.set('mode', spec.mode);
    if (spec.text.length <= MAX_URL_TEXT) params.set('text', spec.text);
  }
  if (spec.kind === 'model' || spec.kind === 'openai') {
    params.set('model', spec.model);
    params.set('prompt', spec.prompt);
  }
  params.set('preset', presetId.value);
  params.set('engine', engine.value);
  params.set('chain', JSON.stringify(stages.value.map(stageSpec)));
  const off = stages.value.flatMap((stage, index) => (stage.enabled ? [] : [index]));
  if (off.length > 0) params.set('off', off.join(','));
  params.set('seed', String(seed.value));
  if (historyText.value.trim() !== '') params.set('history', historyText.value.trim());
  if (topN.value !== 20) params.set('top', String(topN.value));
  if (spec.kind === 'model' && generated.value.length > 0) params.set('gen', generated.value.join(','));
  return `?${params.toString()}`;
}

/** What a URL restores: problems are shown on the page; `generated` is replayed once the model is loaded. */
export interface Restored {
  readonly problems: string[];
  readonly generated: number[];
  /** Whether the URL named a source (else the page picks its default). */
  readonly hasSource: boolean;
}

/** Restores the state from URL search parameters; a bad part is reported and skipped. */
export function restoreFromSearch(search: string): Restored {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  let generatedIds: number[] = [];
  batch(() => {
    const preset = params.get('preset');
    if (preset !== null) {
      if ((PRESET_IDS as readonly string[]).includes(preset)) presetId.value = preset as PresetId;
      else problems.push(`preset = ${JSON.stringify(preset)} is unknown: expected one of ${PRESET_IDS.join(', ')}`);
    }
    const engineName = params.get('engine');
    if (engineName !== null) {
      if ((ENGINE_NAMES as readonly string[]).includes(engineName)) engine.value = engineName as EngineName;
      else problems.push(`engine = ${JSON.stringify(engineName)} is unknown: expected one of ${ENGINE_NAMES.join(', ')}`);
    } else if (preset !== null) engine.value = getPreset(presetId.value).engine;
    const chain = params.get('chain');
    if (chain !== null) {
      try {
        const off = new Set((params.get('off') ?? '').split(',').filter(Boolean).map(Number));
        stages.value = clampToPreset(
          stagesFromSpec(chain).map((stage, index) => ({ ...stage, enabled: !off.has(index) })),
          getPreset(presetId.value),
        );
      } catch (error) {
        problems.push(`chain in the link: ${(error as Error).message}`);
      }
    } else if (preset !== null) stages.value = stagesFromSpec(getPreset(presetId.value).chain);
    const seedText = params.get('seed');
    if (seedText !== null) {
      const value = Number(seedText);
      if (Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER) seed.value = value;
      else problems.push(`seed = ${JSON.stringify(seedText)} is out of range: expected an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
    }
    const history = params.get('history');
    if (history !== null) historyText.value = history;
    const top = Number(params.get('top'));
    if ([10, 20, 50, 100].includes(top)) topN.value = top;
    const spec = sourceFrom(params, problems);
    if (spec) source.value = spec;
    const gen = params.get('gen');
    if (gen && spec?.kind === 'model') {
      generatedIds = gen.split(',').map(Number);
      if (!generatedIds.every((id) => Number.isInteger(id) && id >= 0)) {
        problems.push(`gen = ${JSON.stringify(gen)}: expected comma-separated token ids`);
        generatedIds = [];
      }
    }
  });
  return { problems, generated: generatedIds, hasSource: params.has('src') };
}

function sourceFrom(params: URLSearchParams, problems: string[]): SourceSpec | undefined {
  const kind = params.get('src');
  switch (kind) {
    case null:
      return undefined;
    case 'example':
      return { kind, name: params.get('example') ?? 'top-p-8' };
    case 'paste': {
      const mode = params.get('mode') === 'probs' ? 'probs' : 'logits';
      return { kind, mode, text: params.get('text') ?? '[]' };
    }
    case 'model':
    case 'openai':
      return { kind, model: params.get('model') ?? (kind === 'model' ? 'embedded' : 'gpt-4o-mini'), prompt: params.get('prompt') ?? '' };
    default:
      problems.push(`src = ${JSON.stringify(kind)} is unknown: expected example, paste, model or openai`);
      return undefined;
  }
}

/** Mirrors the state into the address bar (replaceState, debounced). Returns the disposer. */
export function startUrlSync(delayMs = 150): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = effect(() => {
    const search = stateToSearch();
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (search !== window.location.search) window.history.replaceState(null, '', search);
    }, delayMs);
  });
  return () => {
    clearTimeout(timer);
    stop();
  };
}
