import { signal } from '@preact/signals';
import { drawMany, type Draws } from '../analysis/draws.js';
import { topIds } from '../analysis/analyze.js';
import { linear } from '../charts/scale.js';
import { useWidth } from '../charts/useWidth.js';
import { showToken, type LoadedInput } from '../state/source.js';
import { chainSpec, engine, input, samplerOptions, seed } from '../state/store.js';
import { fmtInt, fmtP, shellQuote } from './format.js';

/** The last draws, with what they were drawn from (so that stale results are not shown). */
const lastDraws = signal<{ draws: Draws; input: LoadedInput; key: string } | undefined>(undefined);
const progress = signal<string | undefined>(undefined);

const currentKey = (): string => JSON.stringify([chainSpec.value, samplerOptions.value]);

async function run(n: number): Promise<void> {
  const loaded = input.value;
  if (!loaded || progress.value) return;
  progress.value = `drawing ${fmtInt(n)}…`;
  try {
    const key = currentKey();
    const draws = await drawMany(loaded.logits, chainSpec.value, n, samplerOptions.value, async (done) => {
      progress.value = `drawn ${fmtInt(done)} of ${fmtInt(n)}…`;
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    lastDraws.value = { draws, input: loaded, key };
  } catch (error) {
    progress.value = undefined;
    lastDraws.value = undefined;
    throw error;
  }
  progress.value = undefined;
}

/** Seeded draws of 1, 100 or 10,000 tokens, with the histogram against the expected probabilities. */
export function SamplingPanel() {
  const loaded = input.value;
  if (!loaded) return null;
  const last = lastDraws.value;
  const current = last && last.input === loaded && last.key === currentKey() ? last.draws : undefined;
  return (
    <section class="panel" aria-labelledby="sampling-title">
      <h2 id="sampling-title">Sampling</h2>
      <div class="row">
        <label for="seed">Seed</label>
        <input
          id="seed"
          type="number"
          min={0}
          step={1}
          value={seed.value}
          onChange={(event) => {
            const value = Number((event.currentTarget as HTMLInputElement).value);
            if (Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER) seed.value = value;
          }}
        />
        {[1, 100, 10_000].map((n) => (
          <button key={n} type="button" disabled={progress.value !== undefined} onClick={() => void run(n)} data-testid={`draw-${n}`}>
            Draw {fmtInt(n)}
          </button>
        ))}
        <span role="status" aria-live="polite" class="muted">
          {progress.value ?? ''}
        </span>
      </div>
      {current ? <DrawResult draws={current} loaded={loaded} /> : <p class="muted">The same seed gives the same draws as knobs sample, on every machine.</p>}
    </section>
  );
}

function DrawResult({ draws, loaded }: { draws: Draws; loaded: LoadedInput }) {
  const command = `knobs sample ${loaded.cli} --chain ${shellQuote(JSON.stringify(chainSpec.value))} --engine ${engine.value} --seed ${draws.seed} --n ${draws.n}`;
  if (draws.n === 1) {
    return (
      <div data-testid="draw-result" data-token-id={draws.first}>
        <p>
          Drew <strong class="tok">{showToken(loaded.tokenText(draws.first))}</strong> (#{draws.first}), probability {fmtP(draws.expected[draws.first] as number)} after the chain.
        </p>
        <p class="command">
          <code>{command}</code>
        </p>
      </div>
    );
  }
  return (
    <div data-testid="draw-result" data-chi2={draws.chi2} data-p-value={draws.pValue}>
      <Histogram draws={draws} loaded={loaded} />
      <p>
        {fmtInt(draws.n)} draws, seed {draws.seed}: χ² = {draws.chi2.toFixed(3)} on {draws.degreesOfFreedom} degrees of freedom, p = {draws.pValue.toPrecision(3)}
        {draws.fast ? '' : ' (the chain draws inside, so every draw ran the whole chain)'}
      </p>
      <p class="command">
        <code>{command}</code>
      </p>
    </div>
  );
}

const ROW = 20;

/** Observed frequency (bars) against the expected probability (ticks) of the likeliest tokens. */
function Histogram({ draws, loaded }: { draws: Draws; loaded: LoadedInput }) {
  const [container, WIDTH] = useWidth<HTMLDivElement>();
  const label = WIDTH < 420 ? 90 : 150;
  const ids = topIds(draws.expected, 15);
  const observedElsewhere = draws.n - ids.reduce((sum, id) => sum + (draws.counts[id] as number), 0);
  const max = Math.max(...ids.map((id) => Math.max(draws.expected[id] as number, (draws.counts[id] as number) / draws.n)), 1e-9);
  const x = linear([0, max], [label, WIDTH - 60]);
  const height = ids.length * ROW + 8 + (observedElsewhere > 0 ? ROW : 0);
  return (
    <div ref={container}>
    <svg class="chart histogram" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Histogram of ${draws.n} draws against the expected probabilities`} data-testid="histogram">
      {ids.map((id, index) => {
        const frequency = (draws.counts[id] as number) / draws.n;
        const expected = draws.expected[id] as number;
        const top = 4 + index * ROW;
        return (
          <g key={id} data-token-id={id} data-count={draws.counts[id]} data-expected={expected}>
            <text class="tick" x={label - 6} y={top + 13} text-anchor="end">
              {truncate(showToken(loaded.tokenText(id)), WIDTH < 420 ? 10 : 18)}
            </text>
            <rect class="observed" x={label} y={top + 2} width={Math.max(0, x(frequency) - label)} height={ROW - 6} />
            <line class="expected" x1={x(expected)} x2={x(expected)} y1={top} y2={top + ROW - 2} />
            <text class="tick" x={WIDTH - 56} y={top + 13}>
              {fmtInt(draws.counts[id] as number)}
            </text>
          </g>
        );
      })}
      {observedElsewhere > 0 ? (
        <text class="tick" x={label} y={height - 6}>
          {fmtInt(observedElsewhere)} draws of other tokens
        </text>
      ) : null}
    </svg>
    <p class="legend">
      <span class="swatch after" /> observed frequency <span class="swatch p" /> expected probability
    </p>
    </div>
  );
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
