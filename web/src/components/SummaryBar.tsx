import { analysis } from '../state/store.js';
import { fmtInt, fmtNats, fmtPercent } from './format.js';

/**
 * A one-line summary that stays at the top of the screen on phones (hidden on wide
 * screens, where the measures sit beside the sliders), so a slider's effect is visible
 * without scrolling.
 */
export function SummaryBar() {
  const result = analysis.value.value;
  if (!result) return null;
  return (
    <div class="summary-bar" aria-hidden="true">
      <span>
        H <strong>{fmtNats(result.entropyAfter)}</strong> nats
      </span>
      <span>
        kept <strong>{fmtInt(result.kept)}</strong>
      </span>
      <span>
        mass <strong>{fmtPercent(result.keptMass)}</strong>
      </span>
    </div>
  );
}
