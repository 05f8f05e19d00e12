import { useEffect, useState } from 'preact/hooks';
import { clampToPreset } from '../knobs/limits.js';
import { getPreset } from '../knobs/presets.js';
import { stagesFromSpec } from '../state/stages.js';
import { chainSpec, engine, input, presetId, seed, stages } from '../state/store.js';
import { shellQuote } from './format.js';

/** The chain as JSON (editable: paste a chain, compact or JSON) and the `knobs dist` command that gives the same numbers. */
export function ChainText() {
  const json = JSON.stringify(chainSpec.value);
  const [text, setText] = useState(json);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    setText(json);
    setProblem(undefined);
  }, [json]);
  const loaded = input.value;
  const command = loaded ? `knobs dist ${loaded.cli} --chain ${shellQuote(json)} --engine ${engine.value} --seed ${seed.value}` : '';
  return (
    <div class="chain-text">
      <label for="chain-json">Chain as text (JSON array or top_k=40,top_p=0.95)</label>
      <input
        id="chain-json"
        type="text"
        spellcheck={false}
        value={text}
        aria-describedby="chain-json-problem"
        onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)}
        onChange={() => {
          try {
            stages.value = clampToPreset(stagesFromSpec(text), getPreset(presetId.value));
            setProblem(undefined);
          } catch (error) {
            setProblem((error as Error).message);
          }
        }}
      />
      <small id="chain-json-problem" class="problem" role={problem ? 'alert' : undefined}>
        {problem ?? ''}
      </small>
      {command ? (
        <p class="command">
          <span class="muted">Same numbers on the command line:</span> <code data-testid="dist-command">{command}</code>
        </p>
      ) : null}
    </div>
  );
}
