import { KnobsError } from '../core/errors.js';
import { refusalOf } from './answers.js';
import { knobDefinition } from './knobDefinitions.js';
import { positionFromFull, positionFromTop, type Position } from './position.js';
import type { RequestRunner } from './requests.js';
import type { AnswerToken, AuditPrompt, AuditTarget, TargetAnswer, TargetRequest } from './types.js';

/**
 * The positions an audit may test at: after each prompt, the target's neutral next-token
 * distribution — the whole of it from local targets (plus each prompt with its first half
 * repeated, for knobs that read the prompt's tokens); from servers, the top log-probabilities
 * of one neutral request per prompt (asked twice when the server names tokens by id: once by
 * id, once by text, for labels), and, for knobs that read the prompt's tokens, prompts of
 * token ids that the server writes itself (greedy continuations) with their start repeated.
 *
 * @example
 * const positions = await findPositions(target, DEFAULT_PROMPTS, [{ name: 'top_p' }], runner, () => undefined);
 */
export async function findPositions(target: AuditTarget, prompts: readonly string[], knobs: readonly { readonly name: string }[], runner: RequestRunner, log: (line: string) => void): Promise<Position[]> {
  if (target.logprobs === 'none') return [];
  const wantsPromptIds = knobs.some((knob) => knob.name !== 'seed' && knobDefinition(knob.name).needs === 'prompt-ids');
  if (target.logprobs === 'full') {
    const distribution = target.distribution;
    const encode = target.encode;
    if (!distribution || !encode) throw new KnobsError(`${target.label} says it gives full distributions but has no distribution() or encode()`);
    const text = (id: number): string => target.tokenText?.(id) ?? `id ${id}`;
    const made: AuditPrompt[] = [];
    prompts.forEach((prompt, index) => {
      const tokens = encode(prompt);
      if (tokens.length === 0) return;
      made.push({ id: `p${index}`, text: prompt, tokens });
      if (wantsPromptIds && tokens.length >= 2) made.push({ id: `p${index}r`, tokens: [...tokens, ...tokens.slice(0, Math.ceil(tokens.length / 2))] });
    });
    const positions: Position[] = [];
    for (const prompt of made) positions.push(positionFromFull(prompt, await distribution(prompt), text, prompt.tokens, target.rawLogits === 'exact'));
    return positions;
  }
  const top = target.maxTopLogprobs;
  const textPrompts: AuditPrompt[] = prompts.map((prompt, index) => ({ id: `p${index}`, text: prompt }));
  const probe = (prompt: AuditPrompt, tokenIds?: boolean): TargetRequest => ({ prompt, fields: target.baseline, seed: 0, maxTokens: 1, topLogprobs: top, ...(tokenIds === undefined ? {} : { tokenIds }) });
  const probes = await runner.run(textPrompts.map((prompt) => probe(prompt)));
  const refused = refusalOf(probes);
  if (refused && probes.every((answer) => answer.status === 'refused')) throw new KnobsError(`${target.label} refused the audit's neutral request (${JSON.stringify(target.baseline)} with ${top} top log-probabilities): ${refused.reason}`);
  const texts = target.tokenIds ? await runner.run(textPrompts.map((prompt) => probe(prompt, false))) : probes;
  const positions: Position[] = [];
  textPrompts.forEach((prompt, index) => {
    const answer = probes[index] as TargetAnswer;
    if (answer.status !== 'ok' || !answer.tokens[0]?.top || answer.tokens[0].top.length === 0) return;
    positions.push(positionFromTop(prompt, withTexts(answer.tokens[0].top, texts[index] as TargetAnswer)));
  });
  if (positions.length === 0) throw new KnobsError(`${target.label} returned no top log-probabilities for the audit's prompts: it cannot be audited without them`);
  if (target.tokenIds && wantsPromptIds) {
    // Prompts of known token ids: continuations the server writes itself (seeded), and each with its start repeated.
    // Greedy continuations (the same in every audit: positions do not depend on the audit's seed),
    // so that the token after a repeated stretch is likely enough to be listed.
    const continuations = await runner.run(textPrompts.map((prompt, index) => ({ prompt, fields: { ...target.baseline, temperature: 0 }, seed: 1 + index, maxTokens: 12 })));
    const idPrompts: AuditPrompt[] = [];
    continuations.forEach((answer, index) => {
      if (answer.status !== 'ok' || idPrompts.length >= 6) return;
      const ids = answer.tokens.flatMap((token) => (token.id === undefined ? [] : [token.id]));
      if (ids.length < 4 || ids.length !== answer.tokens.length) return;
      idPrompts.push({ id: `ids${index}`, tokens: ids });
      idPrompts.push({ id: `ids${index}r`, tokens: [...ids, ...ids.slice(0, Math.ceil(ids.length / 2))] });
    });
    if (idPrompts.length > 0) {
      const idProbes = await runner.run(idPrompts.map((prompt) => probe(prompt)));
      const idTexts = await runner.run(idPrompts.map((prompt) => probe(prompt, false)));
      idPrompts.forEach((prompt, index) => {
        const answer = idProbes[index] as TargetAnswer;
        if (answer.status !== 'ok' || !answer.tokens[0]?.top) return;
        positions.push(positionFromTop(prompt, withTexts(answer.tokens[0].top, idTexts[index] as TargetAnswer), prompt.tokens));
      });
    } else log('no token-id prompts: the continuations named no token ids');
  }
  return positions;
}

/** Top alternatives named by id, with the texts of the same request asked without ids (paired by equal log-probability, in order). */
function withTexts(top: readonly AnswerToken[], texts: TargetAnswer): AnswerToken[] {
  const named = texts.status === 'ok' ? [...(texts.tokens[0]?.top ?? [])] : [];
  return top.map((token) => {
    if (token.text !== '' || token.logprob === undefined) return token;
    const match = named.findIndex((candidate) => candidate.logprob === token.logprob);
    if (match < 0) return token;
    const [found] = named.splice(match, 1);
    return { ...token, text: found?.text ?? '' };
  });
}
