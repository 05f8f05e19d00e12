import { nucleusSize } from '../analysis/analyze.js';
import { linear, ticks } from '../charts/scale.js';
import { useWidth } from '../charts/useWidth.js';
import { analysis, rank } from '../state/store.js';
import { nucleusP } from './StatsView.js';

const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 44 };
/** Above this many ranks the x axis is logarithmic (a 200k vocabulary fits, the head stays readable). */
const LOG_ABOVE = 60;

/**
 * The cumulative probability of the input's tokens in rank order (the curve top-p walks
 * along), the same for the chain's output (along the input's ranks), the p line and where
 * the nucleus ends. Long tails get a logarithmic rank axis.
 */
export function CumulativeChart() {
  const [container, WIDTH] = useWidth<HTMLDivElement>();
  const result = analysis.value.value;
  const order = rank.value;
  if (!result || !order) return null;
  const p = nucleusP();
  const nucleus = nucleusSize(result.before, order, p);
  const count = Math.max(1, Math.min(result.support, Math.max(20, Math.ceil(nucleus * 1.5), Math.ceil(result.kept * 1.5))));
  const log = count > LOG_ABOVE;
  // Ranks to plot: every rank on a linear axis; about 400 geometric steps on a log axis.
  const marks: number[] = [];
  if (log) {
    for (let r = 1; r <= count; r = Math.max(r + 1, Math.round(r * 1.025))) marks.push(r);
    if (marks[marks.length - 1] !== count) marks.push(count);
  } else for (let r = 1; r <= count; r++) marks.push(r);
  const before: number[] = [];
  const after: number[] = [];
  let sumBefore = 0;
  let sumAfter = 0;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const id = order[i] as number;
    sumBefore += result.before[id] as number;
    sumAfter += result.after[id] as number;
    if (marks[next] === i + 1) {
      before.push(sumBefore);
      after.push(sumAfter);
      next++;
    }
  }
  const x = log ? logScale(count, WIDTH) : linear([0, count], [MARGIN.left, WIDTH - MARGIN.right]);
  const y = linear([0, 1], [HEIGHT - MARGIN.bottom, MARGIN.top]);
  const path = (values: number[]): string => {
    let d = `M${x(log ? 1 : 0).toFixed(2)},${y(0)}`;
    values.forEach((value, index) => {
      const r = marks[index] as number;
      d += log ? `L${x(r).toFixed(2)},${y(value).toFixed(2)}` : `V${y(value).toFixed(2)}H${x(r).toFixed(2)}`;
    });
    return d;
  };
  const xTicks = log ? logTicks(count) : ticks(count, WIDTH < 420 ? 4 : 6).filter((tick) => tick <= count);
  return (
    <section class="panel" aria-labelledby="cumulative-title">
      <h2 id="cumulative-title">Cumulative probability by rank</h2>
      <div ref={container}>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Cumulative probability of the top ${count} tokens; the input reaches p = ${p} at ${nucleus} tokens; the chain keeps ${result.kept}.`}
        data-testid="cumulative-chart"
      >
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <g key={tick}>
            <line class="grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text class="tick" x={MARGIN.left - 6} y={y(tick) + 4} text-anchor="end">
              {tick}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={tick} class="tick" x={x(tick)} y={HEIGHT - MARGIN.bottom + 16} text-anchor="middle">
            {tick.toLocaleString('en-US')}
          </text>
        ))}
        <text class="axis-label" x={(MARGIN.left + WIDTH - MARGIN.right) / 2} y={HEIGHT - 4} text-anchor="middle">
          tokens, most likely first{log ? ' (log scale)' : ''}
        </text>
        <line class="p-line" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(p)} y2={y(p)} />
        <text class="p-label" x={MARGIN.left + 4} y={y(p) - 5}>
          p = {p}
        </text>
        <line class="nucleus-line" x1={x(nucleus)} x2={x(nucleus)} y1={y(0)} y2={y(1)} />
        <text class="p-label" x={x(nucleus) + (x(nucleus) > WIDTH - 140 ? -4 : 4)} y={y(0.06)} text-anchor={x(nucleus) > WIDTH - 140 ? 'end' : 'start'}>
          input's nucleus at p: {nucleus.toLocaleString('en-US')}
        </text>
        <path class="curve before" d={path(before)} />
        <path class="curve after" d={path(after)} />
      </svg>
      </div>
      <p class="legend">
        <span class="swatch before" /> input <span class="swatch after" /> after the chain <span class="swatch p" /> p line
      </p>
    </section>
  );
}

/** Rank → x on a log axis from rank 1 to `count`. */
function logScale(count: number, WIDTH: number): (rank: number) => number {
  const toX = linear([0, Math.log10(count)], [MARGIN.left, WIDTH - MARGIN.right]);
  return (rank) => toX(Math.log10(Math.max(rank, 1)));
}

/** 1, 10, 100, ... up to `count`, and `count` itself when it is far enough from the last power. */
function logTicks(count: number): number[] {
  const result: number[] = [];
  for (let power = 1; power <= count; power *= 10) result.push(power);
  const last = result[result.length - 1] as number;
  if (count / last > 2.5) result.push(count);
  return result;
}
