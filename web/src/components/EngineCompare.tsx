import { signal } from '@preact/signals';
import { createSampler, entropy, getProfile, type StageSpec } from 'creativity-knobs';
import { topIds } from '../analysis/analyze.js';
import { showToken } from '../state/source.js';
import { chainSpec, engineNames, input, samplerOptions } from '../state/store.js';
import { fmtInt, fmtNats, fmtP } from './format.js';

/** Whether each engine gets the chain in its own default order (as flags without --chain would). */
const ownOrder = signal(false);

/** The chain reordered by an engine's default order. */
function inEngineOrder(chain: readonly StageSpec[], order: readonly string[]): StageSpec[] {
  const rank = (stage: StageSpec, index: number): number => {
    const position = order.indexOf(Object.keys(stage)[0] ?? '');
    return position < 0 ? order.length + index : position;
  };
  return chain
    .map((stage, index) => ({ stage, rank: rank(stage, index) }))
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.stage);
}

/** The same input and chain through every engine profile, side by side. */
export function EngineCompare() {
  const loaded = input.value;
  if (!loaded) return null;
  const chain = chainSpec.value;
  const options = samplerOptions.value;
  const columns = engineNames.map((name) => {
    const profile = getProfile(name);
    const used = ownOrder.value ? inEngineOrder(chain, profile.defaultOrder) : chain;
    try {
      const mask = new Uint8Array(loaded.logits.length);
      const sampler = createSampler(used, { ...options, engine: name });
      const probs = sampler.distribution(loaded.logits, undefined, mask);
      let kept = 0;
      for (let i = 0; i < mask.length; i++) kept += mask[i] as number;
      return { name, title: profile.title, used, probs, kept, entropy: entropy(probs), error: undefined, warnings: sampler.warnings };
    } catch (error) {
      return { name, title: profile.title, used, probs: undefined, kept: 0, entropy: 0, error: (error as Error).message, warnings: [] };
    }
  });
  const reference = columns[0]?.probs;
  return (
    <section class="panel" aria-labelledby="engines-title">
      <div class="panel-head">
        <h2 id="engines-title">Each engine, side by side</h2>
        <label>
          <input type="checkbox" checked={ownOrder.value} onChange={(event) => (ownOrder.value = (event.currentTarget as HTMLInputElement).checked)} /> each engine's own order
        </label>
      </div>
      <div class="engines">
        {columns.map((column) => {
          let difference = 0;
          if (reference !== undefined && column.probs !== undefined) {
            for (let i = 0; i < reference.length; i++) difference = Math.max(difference, Math.abs((column.probs[i] as number) - (reference[i] as number)));
          }
          return (
            <article key={column.name} class="engine" data-engine={column.name} data-kept={column.kept} data-entropy={column.entropy}>
              <h3>{column.title}</h3>
              {column.error ? (
                <p class="problem">{column.error}</p>
              ) : (
                <>
                  <p class="engine-stats">
                    kept <strong>{fmtInt(column.kept)}</strong> · H <strong>{fmtNats(column.entropy)}</strong>
                  </p>
                  {column.warnings.map((warning) => (
                    <p key={warning} class="engine-warning small" data-testid="engine-warning" title={warning}>
                      {warning.split(':')[0]}
                    </p>
                  ))}
                  <p class="engine-diff">
                    {difference > 0 ? (
                      <span class="badge" title={`largest difference of a token's probability from ${columns[0]?.title ?? ''}`}>
                        Δp up to {difference < 1e-4 ? difference.toExponential(1) : difference.toFixed(4)} vs {columns[0]?.title}
                      </span>
                    ) : column === columns[0] ? (
                      <span class="muted">reference</span>
                    ) : (
                      <span class="muted">identical</span>
                    )}
                  </p>
                  <ol class="mini-bars">
                    {topIds(column.probs as Float32Array, 5).map((id) => (
                      <li key={id}>
                        <span class="tok">{showToken(loaded.tokenText(id))}</span>
                        <span class="mini-bar" style={{ width: `${((column.probs as Float32Array)[id] as number) * 100}%` }} />
                        <span class="value">{fmtP((column.probs as Float32Array)[id] as number)}</span>
                      </li>
                    ))}
                  </ol>
                  {ownOrder.value ? <p class="muted small">{column.used.map((stage) => Object.keys(stage)[0]).join(' → ') || 'no stages'}</p> : null}
                </>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}
