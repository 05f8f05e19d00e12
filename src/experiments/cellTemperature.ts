import { parseChain } from '../samplers/spec.js';
import type { SettingMetrics } from './metricsBySetting.js';

/**
 * The temperature of a cell: its `temperature` field, or the `t` of the last
 * temperature stage of its chain; undefined when it has none (provider default).
 *
 * @example
 * cellTemperature({ settings: {}, chain: 'top_k=40,temperature=0.8' }); // 0.8
 */
export function cellTemperature(cell: Pick<SettingMetrics, 'settings' | 'chain'>): number | undefined {
  const value = cell.settings.temperature;
  if (typeof value === 'number') return value;
  if (cell.chain === undefined) return undefined;
  try {
    const stage = parseChain(cell.chain)
      .filter((one) => one.name === 'temperature' || one.name === 'dynatemp')
      .at(-1);
    const t = stage?.parameters.t;
    return typeof t === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}
