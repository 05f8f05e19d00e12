import { KnobsError } from '../core/errors.js';
import { knobFieldsFromChain } from './knobFields.js';
import type { CompletionRequest, Rejection } from './types.js';

/**
 * The request fields a remote provider is asked to send: `request.settings`, plus the
 * `chain` translated into fields (or, for a server that runs chains, the chain itself as
 * a `chain` field). Chain stages no field expresses, and fields set both ways, are
 * rejections.
 *
 * @example
 * remoteSettings({ model: 'gpt-4o-mini', chain: 'top_p=0.9,temperature=0.7' }, 'openai', false).settings;
 * // { top_p: 0.9, temperature: 0.7 }
 */
export function remoteSettings(request: CompletionRequest, provider: string, runsChains: boolean): { settings: Record<string, unknown>; rejected: Rejection[] } {
  const settings: Record<string, unknown> = { ...(request.settings ?? {}) };
  const rejected: Rejection[] = [];
  if (request.chain === undefined) return { settings, rejected };
  if (runsChains) {
    settings.chain = request.chain;
    return { settings, rejected };
  }
  try {
    const { fields, unexpressible } = knobFieldsFromChain(request.chain);
    for (const item of unexpressible) rejected.push({ parameter: item.parameter, value: item.value, reason: `rejected by provider: ${provider} cannot run this chain: ${item.reason}` });
    for (const [field, value] of Object.entries(fields)) {
      if (settings[field] !== undefined) rejected.push({ parameter: field, value, reason: `rejected by provider: ${field} is set both in the chain and in the settings` });
      else settings[field] = value;
    }
  } catch (error) {
    if (!(error instanceof KnobsError)) throw error;
    rejected.push({ parameter: 'chain', value: request.chain, reason: `rejected by provider: ${error.message}` });
  }
  return { settings, rejected };
}
