import { cutBy, topIds } from '../analysis/analyze.js';
import { showToken } from '../state/source.js';
import { analysis, input, rank, topN } from '../state/store.js';
import { fmtLogit, fmtP } from './format.js';

/**
 * Before/after bars of the most likely tokens: the input's probability, the probability
 * after the chain, and which stage cut a token. Tokens the chain promoted into the top
 * (penalties, logit bias) are appended. A real table, so every number is readable.
 */
export function TokenBars() {
  const result = analysis.value.value;
  const loaded = input.value;
  const order = rank.value;
  if (!result || !loaded || !order) return null;
  const n = topN.value;
  const rows = Array.from(order.subarray(0, Math.min(n, order.length)));
  const shown = new Set(rows);
  const promoted = topIds(result.after, n).filter((id) => !shown.has(id));
  const all = [...rows, ...promoted];
  const scale = Math.max(...all.map((id) => Math.max(result.before[id] as number, result.after[id] as number)), 1e-12);
  return (
    <section class="panel" aria-labelledby="bars-title">
      <div class="panel-head">
        <h2 id="bars-title">Top tokens, before and after</h2>
        <label>
          rows{' '}
          <select aria-label="Rows shown" value={String(n)} onChange={(event) => (topN.value = Number((event.currentTarget as HTMLSelectElement).value))}>
            {[10, 20, 50, 100].map((value) => (
              <option key={value} value={String(value)}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="table-scroll">
        <table class="bars" data-testid="token-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">token</th>
              <th scope="col" class="num col-logit">
                logit
              </th>
              <th scope="col">before</th>
              <th scope="col">after</th>
            </tr>
          </thead>
          <tbody>
            {all.map((id, index) => {
              const before = result.before[id] as number;
              const after = result.after[id] as number;
              const cut = after === 0 ? (cutBy(result.trace, id) ?? 'input') : undefined;
              const isPromoted = index >= rows.length;
              return (
                <tr key={id} class={cut ? 'cut' : 'kept'} data-token-id={id} data-before={before} data-after={after}>
                  <td class="num">{isPromoted ? '↑' : index + 1}</td>
                  <th scope="row" class="token" title={`id ${id}`}>
                    <span class="tok">{showToken(loaded.tokenText(id))}</span> <span class="id">#{id}</span>
                  </th>
                  <td class="num col-logit">{fmtLogit(loaded.logits[id] as number)}</td>
                  <td class="barcell">
                    <span class="track">
                      <span class="bar before" style={{ width: `${(before / scale) * 100}%` }} />
                    </span>
                    <span class="value">{fmtP(before)}</span>
                  </td>
                  <td class="barcell">
                    {cut ? (
                      <span class="cut-mark">cut by {cut}</span>
                    ) : (
                      <>
                        <span class="track">
                          <span class="bar after" style={{ width: `${(after / scale) * 100}%` }} />
                        </span>
                        <span class="value" data-testid={`after-${id}`}>
                          {fmtP(after)}
                        </span>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {order.length > all.length ? <p class="muted">{order.length - all.length} more tokens not shown.</p> : null}
    </section>
  );
}
