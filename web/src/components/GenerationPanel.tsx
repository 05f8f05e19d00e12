import { branch, busy, finish, generateTokens, generatedText, generationError, MAX_STEPS, rewind, steps } from '../generation/session.js';
import { showToken } from '../state/source.js';
import { chainSpec, engine, input, seed, source } from '../state/store.js';
import { fmtInt, fmtP, shellQuote } from './format.js';

/**
 * Step-by-step generation on the model: the text so far (each generated token is a
 * button that rewinds to before it), and for every step the alternatives the chain left
 * with their probabilities (pick one to branch there).
 */
export function GenerationPanel() {
  const spec = source.value;
  const loaded = input.value;
  if (spec.kind !== 'model' || !loaded) return null;
  const list = steps.value;
  const tokenText = loaded.tokenText;
  const full = list.length >= MAX_STEPS;
  const command = `knobs generate ${shellQuote(spec.prompt)} --model ${spec.model} --chain ${shellQuote(JSON.stringify(chainSpec.value))} --engine ${engine.value} --seed ${seed.value} --max-tokens ${list.length}`;
  return (
    <section class="panel" aria-labelledby="generation-title">
      <h2 id="generation-title">Generation, step by step</h2>
      <div class="row">
        {[1, 5, 20].map((n) => (
          <button key={n} type="button" disabled={busy.value || finish.value !== undefined || full} onClick={() => void generateTokens(n)} data-testid={`generate-${n}`}>
            {n === 1 ? 'Next token' : `+${n} tokens`}
          </button>
        ))}
        <button type="button" disabled={busy.value || list.length === 0} onClick={() => rewind(0)}>
          Start over
        </button>
        <span role="status" aria-live="polite" class="muted" data-testid="generation-status">
          {busy.value ? 'generating…' : finish.value === 'stop' ? 'end of text drawn' : full ? `at most ${MAX_STEPS} tokens` : `${list.length} tokens`}
        </span>
      </div>
      {generationError.value ? (
        <p class="problem" role="alert">
          {generationError.value}
        </p>
      ) : null}
      <p class="generated" data-testid="generated-text" data-text={generatedText.value}>
        <span class="prompt-text">{spec.prompt}</span>
        {list.map((step, index) => (
          <button
            key={index}
            type="button"
            class={`chip${step.token !== step.drawn ? ' branched' : ''}`}
            aria-label={`Rewind to before token ${index + 1}, ${JSON.stringify(tokenText(step.token))}`}
            title="rewind to before this token"
            onClick={() => rewind(index)}
          >
            {showToken(tokenText(step.token))}
          </button>
        ))}
      </p>
      {list.length > 0 ? (
        <p class="command">
          <span class="muted">Same text on the command line:</span> <code data-testid="generate-command">{command}</code>
        </p>
      ) : null}
      <ol class="steps" aria-label="Steps">
        {list.map((step, index) => (
          <li key={index} class="step">
            <span class="step-token">
              <strong>{index + 1}.</strong> <span class="tok">{showToken(tokenText(step.token))}</span> {fmtP(step.p)}
              {step.token !== step.drawn ? <span class="badge">picked; the draw was {showToken(tokenText(step.drawn))}</span> : null}
            </span>
            <span class="alternatives">
              {step.alternatives.map((alternative) => (
                <button
                  key={alternative.id}
                  type="button"
                  class={alternative.id === step.token ? 'alt chosen' : 'alt'}
                  disabled={busy.value || alternative.id === step.token}
                  aria-label={`Branch at step ${index + 1} with ${JSON.stringify(tokenText(alternative.id))}, probability ${fmtP(alternative.p)}`}
                  onClick={() => void branch(index, alternative.id)}
                >
                  <span class="tok">{showToken(tokenText(alternative.id))}</span> {fmtP(alternative.p)}
                </button>
              ))}
            </span>
          </li>
        ))}
      </ol>
      {list.length === 0 ? <p class="muted">Each step draws from the distribution above with the chain and seed; the views follow the newest step. {fmtInt(loaded.logits.length)} logits per step come from the server; the sampling happens here.</p> : null}
    </section>
  );
}
