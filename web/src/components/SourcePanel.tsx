import { batch } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { listExamples } from 'creativity-knobs';
import { resetGeneration } from '../generation/session.js';
import { SOURCE_KINDS, type SourceSpec } from '../state/source.js';
import { generated, historyText, input, inputError, loading, serverInfo, source } from '../state/store.js';
import { fmtInt, fmtPercent } from './format.js';

const DEFAULT_PASTE = '{"logits": [2.0, 1.5, 1.0, 0.5, 0.0, -1.0], "tokens": ["cat", "dog", "bird", "fish", "cow", "ant"]}';

/** A fresh source of a kind. */
function defaultSource(kind: SourceSpec['kind']): SourceSpec {
  const models = serverInfo.value?.models ?? [];
  switch (kind) {
    case 'example':
      return { kind, name: listExamples()[1]?.name ?? 'top-p-8' };
    case 'paste':
      return { kind, mode: 'logits', text: DEFAULT_PASTE };
    case 'model':
      return { kind, model: models[0]?.id ?? 'embedded', prompt: 'The weather today is' };
    case 'openai':
      return { kind, model: 'gpt-4o-mini', prompt: 'The capital of France is' };
  }
}

/** Sets the source; a new source starts a new generation. */
export function chooseSource(spec: SourceSpec): void {
  batch(() => {
    resetGeneration();
    generated.value = [];
    source.value = spec;
  });
}

/** Where the distribution comes from: a prompt on a local model, an example, pasted numbers, OpenAI. */
export function SourcePanel() {
  const spec = source.value;
  const info = serverInfo.value;
  const kinds = SOURCE_KINDS.filter((entry) => (entry.kind === 'model' ? (info?.models.length ?? 0) > 0 : entry.kind === 'openai' ? info?.openai === true : true));
  const loaded = input.value;
  return (
    <section class="panel" aria-labelledby="source-title">
      <h2 id="source-title">Distribution</h2>
      <fieldset class="kinds">
        <legend class="visually-hidden">Source</legend>
        {kinds.map((entry) => (
          <label key={entry.kind} class="kind">
            <input type="radio" name="source-kind" value={entry.kind} checked={spec.kind === entry.kind} onChange={() => chooseSource(defaultSource(entry.kind))} />
            {entry.title}
          </label>
        ))}
      </fieldset>
      {spec.kind === 'example' ? <ExampleForm spec={spec} /> : null}
      {spec.kind === 'paste' ? <PasteForm spec={spec} /> : null}
      {spec.kind === 'model' || spec.kind === 'openai' ? <PromptForm spec={spec} /> : null}
      {spec.kind === 'example' || spec.kind === 'paste' ? (
        <div class="field">
          <label for="history">History: token ids already generated (for penalties, DRY, no-repeat-ngram)</label>
          <input id="history" type="text" inputMode="numeric" placeholder="e.g. 0,2,2" value={historyText.value} onChange={(event) => (historyText.value = (event.currentTarget as HTMLInputElement).value)} />
        </div>
      ) : null}
      <p class="status" role="status" aria-live="polite" data-testid="source-status">
        {loading.value ? 'Loading…' : loaded ? `${loaded.label} · ${fmtInt(loaded.logits.length)} tokens` : ''}
        {loaded?.coverage !== undefined ? ` · the top ${loaded.logits.length} cover ${fmtPercent(loaded.coverage)} of the mass (renormalised over them)` : ''}
      </p>
      {inputError.value ? (
        <p class="problem" role="alert" data-testid="source-error">
          {inputError.value}
        </p>
      ) : null}
    </section>
  );
}

function ExampleForm({ spec }: { spec: Extract<SourceSpec, { kind: 'example' }> }) {
  return (
    <div class="field">
      <label for="example">Example</label>
      <select id="example" value={spec.name} onChange={(event) => chooseSource({ kind: 'example', name: (event.currentTarget as HTMLSelectElement).value })}>
        {listExamples().map((example) => (
          <option key={example.name} value={example.name}>
            {example.name} — {example.description}
          </option>
        ))}
      </select>
    </div>
  );
}

function PasteForm({ spec }: { spec: Extract<SourceSpec, { kind: 'paste' }> }) {
  const [text, setText] = useState(spec.text);
  const [mode, setMode] = useState(spec.mode);
  useEffect(() => setText(spec.text), [spec.text]);
  return (
    <form
      class="field"
      onSubmit={(event) => {
        event.preventDefault();
        chooseSource({ kind: 'paste', mode, text });
      }}
    >
      <label for="paste">Logits or probabilities as JSON: an array, or {'{"logits": [...], "tokens": [...]}'}</label>
      <textarea id="paste" rows={4} spellcheck={false} value={text} onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)} />
      <div class="row">
        <label>
          <input type="radio" name="paste-mode" checked={mode === 'logits'} onChange={() => setMode('logits')} /> logits
        </label>
        <label>
          <input type="radio" name="paste-mode" checked={mode === 'probs'} onChange={() => setMode('probs')} /> probabilities (key "probs")
        </label>
        <button type="submit">Use these numbers</button>
      </div>
    </form>
  );
}

function PromptForm({ spec }: { spec: Extract<SourceSpec, { kind: 'model' | 'openai' }> }) {
  const [prompt, setPrompt] = useState(spec.prompt);
  const [model, setModel] = useState(spec.model);
  useEffect(() => {
    setPrompt(spec.prompt);
    setModel(spec.model);
  }, [spec.prompt, spec.model]);
  const models = serverInfo.value?.models ?? [];
  return (
    <form
      class="field"
      onSubmit={(event) => {
        event.preventDefault();
        chooseSource({ ...spec, model, prompt });
      }}
    >
      <label for="model">Model</label>
      {spec.kind === 'model' ? (
        <select id="model" value={model} onChange={(event) => setModel((event.currentTarget as HTMLSelectElement).value)}>
          {models.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.title}
            </option>
          ))}
        </select>
      ) : (
        <input id="model" type="text" value={model} onInput={(event) => setModel((event.currentTarget as HTMLInputElement).value)} />
      )}
      <label for="prompt">Prompt</label>
      <textarea
        id="prompt"
        rows={2}
        value={prompt}
        onInput={(event) => setPrompt((event.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            chooseSource({ ...spec, model, prompt });
          }
        }}
      />
      <button type="submit">{spec.kind === 'openai' ? 'Ask OpenAI for the next token' : 'Next-token distribution'}</button>
    </form>
  );
}
