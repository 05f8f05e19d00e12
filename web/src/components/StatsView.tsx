import { nucleusSize } from '../analysis/analyze.js';
import { analysis, chainSpec, input, rank } from '../state/store.js';
import { fmtInt, fmtNats, fmtPercent } from './format.js';

/** The p of the chain's first top_p stage, else 0.9: the p at which the nucleus is measured. */
export function nucleusP(): number {
  for (const stage of chainSpec.value) {
    const value = stage.top_p;
    if (typeof value === 'number') return value;
    if (value && typeof value === 'object' && typeof (value as { p?: unknown }).p === 'number') return (value as { p: number }).p;
  }
  return 0.9;
}

/** One measure: a label, before → after, and the exact values in data attributes for tests. */
function Stat(props: { id: string; label: string; before?: number; after: number; format: (value: number) => string; note?: string }) {
  return (
    <div class="stat" data-testid={`stat-${props.id}`} data-before={props.before ?? ''} data-value={props.after}>
      <dt>{props.label}</dt>
      <dd>
        {props.before !== undefined ? (
          <>
            <span class="before">{props.format(props.before)}</span> <span aria-label="becomes">→</span>{' '}
          </>
        ) : null}
        <strong>{props.format(props.after)}</strong>
        {props.note ? <small>{props.note}</small> : null}
      </dd>
    </div>
  );
}

/** Entropy, effective vocabulary, kept tokens, kept mass and nucleus size, live. */
export function StatsView() {
  const result = analysis.value.value;
  const loaded = input.value;
  const order = rank.value;
  if (!result || !loaded || !order) return null;
  const p = nucleusP();
  return (
    <section class="panel" aria-labelledby="stats-title">
      <h2 id="stats-title">Measures</h2>
      <dl class="stats">
        <Stat id="entropy" label="Entropy (nats)" before={result.entropyBefore} after={result.entropyAfter} format={fmtNats} note={`${(result.entropyAfter / Math.LN2).toFixed(3)} bits`} />
        <Stat id="effective" label="Effective vocabulary (e^H)" before={Math.exp(result.entropyBefore)} after={Math.exp(result.entropyAfter)} format={(value) => value.toFixed(2)} />
        <Stat id="kept" label="Tokens kept" before={result.support} after={result.kept} format={fmtInt} note={`of ${fmtInt(loaded.logits.length)}`} />
        <Stat id="kept-mass" label="Mass kept (of the input)" after={result.keptMass} format={fmtPercent} />
        <Stat id="nucleus" label={`Nucleus size at p = ${p}`} after={nucleusSize(result.before, order, p)} format={fmtInt} note="tokens of the input to reach p" />
      </dl>
    </section>
  );
}
