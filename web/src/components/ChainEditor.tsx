import { useState } from 'preact/hooks';
import { ENGINE_NAMES, type EngineName, getProfile } from 'creativity-knobs';
import { presetAllows } from '../knobs/limits.js';
import { getPreset } from '../knobs/presets.js';
import { addStage, chooseEngine } from '../state/actions.js';
import { samplerNames } from '../state/stages.js';
import { analysis, engine, presetId, sortByEngine, stages } from '../state/store.js';
import { ChainText } from './ChainText.js';
import { StageCard } from './StageCard.js';

/** The chain: engine profile, the ordered stages, adding a sampler, and the chain as text. */
export function ChainEditor() {
  const preset = getPreset(presetId.value);
  const profile = getProfile(engine.value);
  const list = stages.value;
  const trace = analysis.value.value?.trace;
  const names = samplerNames().filter((name) => presetAllows(preset, name));
  const [choice, setChoice] = useState(names[0] ?? '');
  const selected = names.includes(choice) ? choice : (names[0] ?? '');
  let position = 0;
  const kept = new Map<number, number | undefined>();
  for (const stage of list) if (stage.enabled) kept.set(stage.key, trace?.[++position]?.kept);
  const counts = new Map<string, number>();
  for (const stage of list) counts.set(stage.name, (counts.get(stage.name) ?? 0) + 1);
  return (
    <section class="panel" aria-labelledby="chain-title">
      <h2 id="chain-title">Chain</h2>
      <div class="row">
        <label for="engine">Engine semantics</label>
        <select id="engine" value={engine.value} onChange={(event) => chooseEngine((event.currentTarget as HTMLSelectElement).value as EngineName)}>
          {ENGINE_NAMES.map((name) => (
            <option key={name} value={name}>
              {getProfile(name).title}
            </option>
          ))}
        </select>
        <button type="button" onClick={sortByEngine} disabled={preset.allowed !== undefined} title="put the stages in this engine's default order">
          Order as {getProfile(engine.value).title}
        </button>
      </div>
      {list.length === 0 ? <p class="muted">No stages: the draw is from the model's distribution as it is.</p> : null}
      <ol class="stages">
        {list.map((stage, index) => (
          <StageCard
            key={stage.key}
            stage={stage}
            index={index}
            count={list.length}
            preset={preset}
            kept={kept.get(stage.key)}
            duplicate={(counts.get(stage.name) ?? 0) > 1}
            missing={profile.supported.includes(stage.name) ? undefined : `${profile.title} has no ${stage.name}`}
          />
        ))}
      </ol>
      <div class="row add">
        <label for="add-sampler">Add a sampler</label>
        <select id="add-sampler" value={selected} onChange={(event) => setChoice((event.currentTarget as HTMLSelectElement).value)}>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
              {profile.supported.includes(name) ? '' : ` (not in ${profile.title})`}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => selected && addStage(selected)} disabled={!selected}>
          Add
        </button>
      </div>
      <ChainText />
    </section>
  );
}
