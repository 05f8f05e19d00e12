import { formatValue, InvalidParameterError } from '../core/errors.js';
import { isKnobField, knobFields } from '../providers/knobFields.js';
import type { KnobSettings } from '../providers/types.js';

/** One axis of a grid: a request field and the values it takes, in the order given. */
export interface GridAxis {
  readonly field: string;
  readonly values: readonly number[];
}

/** A grid as written in a spec: `{ temperature: [0, 0.5], top_p: [1, 0.9] }` or the compact string. */
export type GridInput = string | Readonly<Record<string, readonly number[] | number>>;

const knobNames = (): string => [...new Set(knobFields().filter((entry) => entry.kind === 'number').map((entry) => entry.field))].join(', ');

/**
 * Parses a grid of settings. The compact form is `field=v1,v2,...` axes separated by
 * `;` (`temperature=0,0.5,1,1.5;top_p=1,0.9`); the object form maps each field to an
 * array of numbers (a single number is a one-value axis). Fields are request knob fields
 * (`temperature`, `top_p`, `top_k`, `min_p`, `frequency_penalty`, ...); values must be
 * finite numbers. Axes keep the order given, values too; an axis may not repeat a value or
 * a field. Throws `InvalidParameterError` naming the bad axis or value.
 *
 * @example
 * parseGrid('temperature=0,0.5;top_p=1,0.9');
 * // [{ field: 'temperature', values: [0, 0.5] }, { field: 'top_p', values: [1, 0.9] }]
 */
export function parseGrid(input: GridInput): GridAxis[] {
  const entries: [string, unknown][] =
    typeof input === 'string'
      ? input
          .split(';')
          .map((part) => part.trim())
          .filter((part) => part !== '')
          .map((part) => {
            const equals = part.indexOf('=');
            if (equals <= 0) throw new InvalidParameterError('--grid axis', part, 'field=v1,v2,... such as temperature=0,0.5,1 (axes separated by ";")');
            return [part.slice(0, equals).trim(), part.slice(equals + 1).split(',').map((value) => value.trim())];
          })
      : Object.entries(input);
  if (entries.length === 0) throw new InvalidParameterError('grid', input, 'at least one axis, such as temperature=0,0.5,1');
  const seen = new Set<string>();
  return entries.map(([field, raw]) => {
    if (!isKnobField(field) || knobFields().find((entry) => entry.field === field)?.kind !== 'number') {
      throw new InvalidParameterError('grid field', field, `a numeric knob field (${knobNames()})`);
    }
    if (seen.has(field)) throw new InvalidParameterError('grid field', field, 'each field once');
    seen.add(field);
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw new InvalidParameterError(`grid ${field}`, raw, 'at least one value');
    const values = list.map((item: unknown) => {
      const value = typeof item === 'string' && item.trim() !== '' ? Number(item) : item;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(`grid ${field} value`, item, 'a finite number');
      return value;
    });
    const duplicate = values.find((value, index) => values.indexOf(value) !== index);
    if (duplicate !== undefined) throw new InvalidParameterError(`grid ${field}`, formatValue(values), `distinct values (${duplicate} is repeated)`);
    return { field, values };
  });
}

/**
 * Every point of a grid, as request settings: the Cartesian product of the axes, the
 * first axis varying slowest (so output grouped by point reads like nested loops).
 * An empty list of axes gives one empty point (the provider's defaults).
 *
 * @example
 * gridPoints(parseGrid('temperature=0,1;top_p=1,0.9'));
 * // [{ temperature: 0, top_p: 1 }, { temperature: 0, top_p: 0.9 }, { temperature: 1, top_p: 1 }, { temperature: 1, top_p: 0.9 }]
 */
export function gridPoints(axes: readonly GridAxis[]): KnobSettings[] {
  let points: Record<string, number>[] = [{}];
  for (const axis of axes) points = points.flatMap((point) => axis.values.map((value) => ({ ...point, [axis.field]: value })));
  return points;
}

/**
 * A short label of a point: `temperature=0.5 top_p=0.9`; `defaults` for the empty point.
 *
 * @example
 * settingsLabel({ temperature: 0.5, top_p: 0.9 }); // 'temperature=0.5 top_p=0.9'
 */
export function settingsLabel(settings: KnobSettings): string {
  const parts = Object.entries(settings).map(([field, value]) => `${field}=${typeof value === 'number' ? value : JSON.stringify(value)}`);
  return parts.length === 0 ? 'defaults' : parts.join(' ');
}
