import { PRESET_IDS, PRESETS, getPreset } from '../knobs/presets.js';
import { applyPreset, presetId } from '../state/store.js';

/** The engine and provider presets, with the selected one's note and accepted ranges. */
export function PresetBar() {
  const current = getPreset(presetId.value);
  return (
    <section class="presets" aria-labelledby="presets-title">
      <h2 id="presets-title" class="visually-hidden">
        Presets
      </h2>
      <div class="preset-buttons" role="group" aria-label="Engine and provider presets">
        {PRESET_IDS.map((id) => (
          <button key={id} type="button" aria-pressed={current.id === id} onClick={() => applyPreset(id)}>
            {PRESETS[id].title}
          </button>
        ))}
      </div>
      <p class="preset-note" data-testid="preset-note">
        {current.note}
      </p>
      {current.limits ? (
        <ul class="limits" aria-label={`Ranges ${current.title} accepts`}>
          {Object.entries(current.limits)
            .filter(([, limit]) => limit.field !== undefined)
            .map(([key, limit]) => (
              <li key={key}>
                <code>{limit.field}</code> [{limit.min}, {limit.max}]
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}
