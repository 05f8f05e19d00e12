import { entropy, type StageResult } from 'creativity-knobs';
import { PALETTE, REST_COLOR } from '../charts/scale.js';
import { showToken } from '../state/source.js';
import { analysis, input, rank } from '../state/store.js';
import { fmtInt, fmtNats } from './format.js';

const TOKENS = PALETTE.length;

/**
 * The distribution after every stage, one row per stage: how many tokens are left, the
 * entropy, and a 100% bar of the input's eight most likely tokens (same colour in every
 * row) with everything else in grey, so mass moving between tokens is visible.
 */
export function Waterfall() {
  const result = analysis.value.value;
  const loaded = input.value;
  const order = rank.value;
  if (!result || !loaded || !order) return null;
  const tracked = Array.from(order.subarray(0, Math.min(TOKENS, order.length)));
  return (
    <section class="panel" aria-labelledby="waterfall-title">
      <h2 id="waterfall-title">Stage by stage</h2>
      <table class="waterfall" data-testid="waterfall">
        <thead>
          <tr>
            <th scope="col">stage</th>
            <th scope="col" class="num">
              left
            </th>
            <th scope="col" class="num">
              entropy
            </th>
            <th scope="col">mass of the top tokens</th>
          </tr>
        </thead>
        <tbody>
          {result.trace.map((stage, index) => (
            <WaterfallRow key={index} stage={stage} index={index} tracked={tracked} />
          ))}
        </tbody>
      </table>
      <p class="legend">
        {tracked.map((id, index) => (
          <span key={id} class="legend-item">
            <span class="swatch" style={{ background: PALETTE[index] }} />
            {showToken(loaded.tokenText(id))}
          </span>
        ))}
        <span class="legend-item">
          <span class="swatch" style={{ background: REST_COLOR }} />
          the rest
        </span>
      </p>
    </section>
  );
}

function WaterfallRow({ stage, index, tracked }: { stage: StageResult; index: number; tracked: number[] }) {
  let rest = 1;
  const segments = tracked.map((id, position) => {
    const p = stage.probs[id] as number;
    rest -= p;
    return { id, p, color: PALETTE[position] as string };
  });
  const label = index === 0 ? 'input' : `${index}. ${stage.name}`;
  return (
    <tr data-stage-index={index} data-kept={stage.kept}>
      <th scope="row">{label}</th>
      <td class="num">{fmtInt(stage.kept)}</td>
      <td class="num">{fmtNats(entropy(stage.probs))}</td>
      <td>
        <div class="stack" role="img" aria-label={`${label}: ${segments.map((segment) => `${(segment.p * 100).toFixed(1)}%`).join(', ')}, rest ${(Math.max(rest, 0) * 100).toFixed(1)}%`}>
          {segments.map((segment) => (segment.p > 0 ? <span key={segment.id} style={{ width: `${segment.p * 100}%`, background: segment.color }} /> : null))}
          {rest > 1e-9 ? <span style={{ width: `${rest * 100}%`, background: REST_COLOR }} /> : null}
        </div>
      </td>
    </tr>
  );
}
