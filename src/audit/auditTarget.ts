import { InvalidParameterError } from '../core/errors.js';
import type { RunPreview } from '../experiments/preview.js';
import type { RetryPolicy } from '../experiments/retryPolicy.js';
import type { RunProgress } from '../experiments/runExperiment.js';
import type { LaneLimits } from '../experiments/scheduler.js';
import { ENGINE_NAMES } from '../samplers/profiles.js';
import { firstKey, refusalOf } from './answers.js';
import { argmaxLead, greedyRequests, greedyTrials, judgeGreedy, judgeGreedyWithoutLogprobs } from './greedyCheck.js';
import { judgeLogprobs } from './logprobsCheck.js';
import { judgeNeutral } from './neutralCheck.js';
import { judgeRefusals } from './refusalsCheck.js';
import { collisionBound, judgeSeed, seedPairs, seedRequests } from './seedCheck.js';
import { expectedCells, expectationRules, type ExpectationRules } from './expected.js';
import { findPositions } from './findPositions.js';
import { knobDefinition, knobNames } from './knobDefinitions.js';
import { modelSpaces, type ModelSpace } from './modelSpace.js';
import { planKnob, type KnobPlan, type PlanOptions } from './plan.js';
import { cellLabels, cellOf, positionEntropy, type Position } from './position.js';
import { createRequestRunner } from './requests.js';
import type { AuditStore } from './store.js';
import type { AuditPrompt, AuditResult, AuditTarget, CheckResult, Fields, KnobResult, TargetAnswer, TargetRequest } from './types.js';
import { describeSetting, judgeKnob } from './verdict.js';

/** Prompts the audit looks for positions in, when none are given. */
export const DEFAULT_PROMPTS: readonly string[] = [
  'The robot looked at the sunset and felt',
  'Once upon a time, there was a',
  'The cat sat on the',
  'My favourite colour is',
  'She opened the door and',
  'The capital of France is',
];

/** Options of `auditTarget`. */
export interface AuditOptions {
  /** Knobs to audit (`top_p`, or `top_p=0.9` to fix the setting); default: the target's list. */
  readonly knobs?: readonly string[];
  /** Prompts to look for positions in (default `DEFAULT_PROMPTS`). */
  readonly prompts?: readonly string[];
  /** Significance level of every test (default 1e-4). */
  readonly alpha?: number;
  /** Power against "ignored" and against "applied" (default 0.999). */
  readonly power?: number;
  /** Power against the nearby setting, when it fits in `maxN` (default 0.99). */
  readonly resolutionPower?: number;
  /** Fewest draws per knob (default 100). */
  readonly minN?: number;
  /** Most draws per knob (default 4000, at most 10 000). */
  readonly maxN?: number;
  /** Seed of the audit: request j of knob i gets seed `seed + 1000 + 10000·i + j` (default 0). */
  readonly seed?: number;
  /** Answers already known and where new ones go (`--out`, `--resume`). */
  readonly store?: AuditStore;
  readonly signal?: AbortSignal;
  readonly limits?: LaneLimits;
  readonly retry?: RetryPolicy;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** Called with the request count once the plan is known and before the knobs' requests go out; throw to cancel. */
  readonly confirm?: (preview: RunPreview) => Promise<void> | void;
  /** Called with a line for each phase (for `--verbose` and logs). */
  readonly log?: (line: string) => void;
}

/** One entry of `--knobs`: a knob name, and the setting when given as name=value. */
export interface ParsedKnob {
  readonly name: string;
  readonly value?: number;
}

/**
 * Parses `--knobs a,b=0.9,...` entries: a knob name, optionally `=value`.
 *
 * @example
 * parseKnobList(['top_p=0.9', 'seed']); // [{ name: 'top_p', value: 0.9 }, { name: 'seed' }]
 */
export function parseKnobList(entries: readonly string[]): ParsedKnob[] {
  const known = knobNames();
  return entries.map((entry) => {
    const [name = '', raw] = entry.split('=', 2).map((part) => part.trim());
    if (!known.includes(name)) throw new InvalidParameterError('--knobs', name, `knob names among ${known.join(', ')}`);
    if (raw === undefined) return { name };
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) throw new InvalidParameterError(`--knobs ${name}`, raw, 'a number');
    return { name, value };
  });
}

const SEED_STRIDE = 10_000;
const CHECK_SEEDS = 900_000;

/**
 * Audits a target: which sampling knobs it really applies, by measurement.
 *
 * 1. Positions. It reads the target's neutral next-token distribution after each prompt (the
 *    whole distribution for local targets; the top log-probabilities of one request for
 *    servers, plus prompts of token ids the server generated itself, when it names ids).
 * 2. Plans. For each knob, `planKnob` picks a setting and a position where the knob's
 *    effect is large and robust, and the number of draws N that rejects "ignored" when the
 *    knob is applied (and "applied" when it is ignored) with the stated power at `alpha`.
 * 3. Draws. N seeded requests of one token each (every request its own seed, recorded in
 *    the store), through the experiment scheduler (limits, retries, resume); a knob whose
 *    first request is refused is `refused` and sends no more.
 * 4. Verdicts. `judgeKnob` tests the first tokens against the distribution expected under the
 *    engine profile with the knob applied and with it ignored: `applied`, `ignored`,
 *    `different` (with the settings that do fit), or `untestable` with the reason.
 *
 * Also: is the seed honoured, is temperature 0 deterministic and greedy, do draws at the
 * baseline follow the returned log-probabilities, are those before or after the knobs, and
 * which knobs were refused with an error rather than dropped.
 *
 * @example
 * const target = await openAICompatibleTarget({ baseURL: 'http://127.0.0.1:8765/v1', server: 'knobs' });
 * const result = await auditTarget(target, { knobs: ['top_p', 'min_p'] });
 * result.knobs.map((row) => `${row.knob}: ${row.verdict}`);
 */
export async function auditTarget(target: AuditTarget, options: AuditOptions = {}): Promise<AuditResult> {
  const started = performance.now();
  const alpha = options.alpha ?? 1e-4;
  const planOptions: PlanOptions = {
    alpha,
    power: options.power ?? 0.999,
    resolutionPower: options.resolutionPower ?? 0.99,
    minN: options.minN ?? 100,
    maxN: options.maxN ?? 4000,
  };
  if (!(alpha > 0 && alpha < 0.5)) throw new InvalidParameterError('alpha', alpha, 'a number in (0, 0.5)');
  if (!(planOptions.power > 0.5 && planOptions.power < 1)) throw new InvalidParameterError('power', planOptions.power, 'a number in (0.5, 1)');
  if (!Number.isInteger(planOptions.minN) || planOptions.minN < 10) throw new InvalidParameterError('min N', planOptions.minN, 'an integer >= 10');
  if (!Number.isInteger(planOptions.maxN) || planOptions.maxN < planOptions.minN || planOptions.maxN > SEED_STRIDE) throw new InvalidParameterError('max N', planOptions.maxN, `an integer in [min N, ${SEED_STRIDE}]`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidParameterError('seed', seed, 'an integer >= 0');
  const log = options.log ?? (() => undefined);
  const profile = target.profiles.find((name) => (ENGINE_NAMES as readonly string[]).includes(name)) ?? null;
  const rules: ExpectationRules = expectationRules(profile === null ? [] : target.profiles);
  const knobs = parseKnobList(options.knobs ?? target.knobs);
  const runner = createRequestRunner(target, {
    ...(options.store ? { store: options.store } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  const positions = await findPositions(target, options.prompts ?? DEFAULT_PROMPTS, knobs, runner, log);
  log(`${positions.length} positions`);

  // Plans.
  const results = new Map<number, KnobResult>();
  const plans: { index: number; plan: KnobPlan }[] = [];
  const acceptance: { index: number; name: string; setting: Fields }[] = [];
  const firstPrompt: AuditPrompt = { id: 'p0', text: (options.prompts ?? DEFAULT_PROMPTS)[0] ?? '' };
  knobs.forEach((knob, index) => {
    if (knob.name === 'seed') return;
    const definition = knobDefinition(knob.name);
    const untestable = (reason: string): void => {
      results.set(index, { knob: knob.name, setting: knob.value === undefined ? null : { [definition.field]: knob.value }, verdict: 'untestable', p_value: null, n: 0, evidence: { summary: reason, profile } });
    };
    if (target.logprobs === 'none') {
      // Still worth one request: is the knob refused with an error, or accepted?
      const setting = knob.value === undefined ? definition.candidates({ head: [] })[0] : definition.fromValue(knob.value, { head: [] });
      if (setting !== undefined) acceptance.push({ index, name: knob.name, setting });
      return untestable(`${target.label} returns no log-probabilities, so the distribution a knob should give is unknown`);
    }
    if (profile === null && !definition.engineIndependent) return untestable(`no engine profile for ${target.kind} (${target.profileNote ?? 'none'}): the effect of ${knob.name} depends on engine details; the audit tests only temperature, top_k, min_p, logit_bias, the seed and temperature 0 without one`);
    if (definition.needsRawLogits && (target.rawLogits ?? 'unknown') === 'unknown') return untestable(`${knob.name} divides positive logits and multiplies negative ones, so its effect depends on the raw logits, which ${target.label} does not show (its log-probabilities fix them only up to a constant)`);
    if (definition.needs === 'token-ids' && !target.tokenIds) return untestable(`${knob.name} names a token id, and ${target.label}'s answers name no token ids`);
    if (definition.needs === 'prompt-ids' && !target.tokenIds) return untestable(`${knob.name} acts on the tokens the prompt holds, and ${target.label} neither takes token-id prompts nor names token ids, so the audit cannot tell which candidates it counts`);
    const plan = planKnob(definition, positions, target.baseline, rules, planOptions, knob.value);
    if ('reason' in plan) return untestable(`${knob.name}: ${plan.reason}`);
    plans.push({ index, plan });
  });

  // The checks' positions and sizes.
  const seedIndex = knobs.findIndex((knob) => knob.name === 'seed');
  const usable = positions.filter((position) => position.head.length > 1);
  let seedCheck: { position: Position; seeds: number[] } | undefined;
  if (seedIndex >= 0) {
    if (!target.seeds) results.set(seedIndex, { knob: 'seed', setting: null, verdict: 'untestable', p_value: null, n: 0, evidence: { summary: `${target.label} takes no seed` } });
    else if (target.logprobs === 'none') results.set(seedIndex, { knob: 'seed', setting: null, verdict: 'untestable', p_value: null, n: 0, evidence: { summary: `${target.label} returns no log-probabilities, so the chance that unseeded draws agree is unknown` } });
    else {
      const position = [...usable].sort((a, b) => collisionBound(a) - collisionBound(b))[0];
      const pairs = position === undefined ? Infinity : seedPairs(collisionBound(position), alpha);
      if (position === undefined || !Number.isFinite(pairs) || pairs > 500) results.set(seedIndex, { knob: 'seed', setting: null, verdict: 'untestable', p_value: null, n: 0, evidence: { summary: 'no position with a spread-out distribution to test the seed at' } });
      else seedCheck = { position, seeds: Array.from({ length: pairs }, (_, pair) => seed + CHECK_SEEDS + pair) };
    }
  }
  let greedyCheck: { position: Position; seeds: number[] } | undefined;
  const temperatureIndex = knobs.findIndex((knob) => knob.name === 'temperature');
  if (temperatureIndex >= 0 && target.logprobs !== 'none') {
    const position = usable.filter((candidate) => argmaxLead(candidate).gap > 0.05).sort((a, b) => argmaxLead(a).top - argmaxLead(b).top)[0];
    if (position !== undefined) {
      const trials = greedyTrials(argmaxLead(position).top, alpha);
      if (Number.isFinite(trials) && trials <= 500) greedyCheck = { position, seeds: Array.from({ length: trials }, (_, trial) => seed + CHECK_SEEDS + 1000 + trial) };
    }
  }
  let blindGreedy: { seeds: number[] } | undefined;
  if (temperatureIndex >= 0 && target.logprobs === 'none') blindGreedy = { seeds: Array.from({ length: 10 }, (_, trial) => seed + CHECK_SEEDS + 3000 + trial) };
  const neutralPosition = plans[0]?.plan.position ?? [...usable].sort((a, b) => positionEntropy(b) - positionEntropy(a))[0];
  const neutralSeeds = neutralPosition === undefined || target.logprobs === 'none' ? [] : Array.from({ length: planOptions.minN }, (_, draw) => seed + CHECK_SEEDS + 2000 + draw);
  const logprobsPlan = target.logprobs === 'top' ? ['top_k', 'temperature', 'min_p', 'top_p'].map((name) => plans.find((entry) => entry.plan.knob.name === name)).find((entry) => entry !== undefined) : undefined;

  const drawCount = plans.reduce((sum, entry) => sum + entry.plan.n, 0);
  const checkCount = (seedCheck ? 2 * seedCheck.seeds.length : 0) + (greedyCheck?.seeds.length ?? 0) + (blindGreedy ? 2 * blindGreedy.seeds.length : 0) + neutralSeeds.length + (logprobsPlan ? 3 : 0) + acceptance.length;
  const total = runner.done + drawCount + checkCount;
  const pending = total - runner.done;
  await options.confirm?.({ total, pending, paid: target.paid ? pending : 0, byTarget: [{ label: target.label, pending, paid: target.paid }] });
  runner.expect(total);
  log(`plan: ${plans.length} knobs, ${drawCount} draws, ${checkCount} check requests`);

  // Draws: each plan's first request alone (a refusal stops that knob), then the rest with the checks.
  const drawRequest = (entry: { index: number; plan: KnobPlan }, j: number): TargetRequest => ({
    prompt: entry.plan.position.prompt,
    fields: { ...target.baseline, ...entry.plan.setting },
    seed: seed + 1000 + SEED_STRIDE * entry.index + j,
    maxTokens: 1,
  });
  const acceptanceRequests = acceptance.map((entry, k): TargetRequest => ({ prompt: firstPrompt, fields: { ...target.baseline, ...entry.setting }, seed: seed + CHECK_SEEDS + 4000 + k, maxTokens: 1 }));
  const opening = await runner.run([...plans.map((entry) => drawRequest(entry, 0)), ...acceptanceRequests]);
  const firsts = opening.slice(0, plans.length);
  acceptance.forEach((entry, k) => {
    const answer = opening[plans.length + k] as TargetAnswer;
    const previous = results.get(entry.index);
    if (answer.status === 'refused') {
      results.set(entry.index, { knob: entry.name, setting: entry.setting, verdict: 'refused', p_value: null, n: 1, evidence: { summary: answer.byServer ? `the server answered ${describeSetting(entry.setting)} with an error: ${answer.reason}` : `our client refused ${describeSetting(entry.setting)} before sending: ${answer.reason}`, refusal: { reason: answer.reason, by_server: answer.byServer }, profile } });
    } else if (previous) {
      results.set(entry.index, { ...previous, setting: entry.setting, n: 1, evidence: { ...previous.evidence, summary: `${describeSetting(entry.setting)} was accepted (no error), but ${previous.evidence.summary.replace(/^./, (c) => c.toLowerCase())}` } });
    }
  });
  const live = plans.filter((entry, k) => {
    const answer = firsts[k] as TargetAnswer;
    if (answer.status === 'ok') return true;
    results.set(entry.index, {
      knob: entry.plan.knob.name,
      setting: entry.plan.setting,
      verdict: 'refused',
      p_value: null,
      n: 1,
      evidence: {
        summary: answer.byServer ? `the server answered ${describeSetting(entry.plan.setting)} with an error: ${answer.reason}` : `our client refused ${describeSetting(entry.plan.setting)} before sending: ${answer.reason}`,
        refusal: { reason: answer.reason, by_server: answer.byServer },
        prompt: entry.plan.position.prompt,
        profile,
      },
    });
    return false;
  });
  runner.expect(total - plans.filter((entry) => !live.includes(entry)).reduce((sum, entry) => sum + entry.plan.n - 1, 0));
  const batch: TargetRequest[] = [];
  const slices: { start: number; count: number }[] = [];
  const push = (requests: readonly TargetRequest[]): void => {
    slices.push({ start: batch.length, count: requests.length });
    batch.push(...requests);
  };
  for (const entry of live) push(Array.from({ length: entry.plan.n - 1 }, (_, j) => drawRequest(entry, j + 1)));
  if (seedCheck) push(seedRequests(seedCheck.position, target.baseline, seedCheck.seeds));
  if (greedyCheck) push(greedyRequests(greedyCheck.position, target.baseline, greedyCheck.seeds));
  if (blindGreedy) {
    push(blindGreedy.seeds.map((s) => ({ prompt: firstPrompt, fields: { ...target.baseline, temperature: 0 }, seed: s, maxTokens: 8 })));
    push(blindGreedy.seeds.map((s) => ({ prompt: firstPrompt, fields: { ...target.baseline, temperature: 1 }, seed: s + 100, maxTokens: 8 })));
  }
  if (neutralPosition && neutralSeeds.length > 0) push(neutralSeeds.map((s) => ({ prompt: neutralPosition.prompt, fields: target.baseline, seed: s, maxTokens: 1 })));
  // Three tries: an answer whose token is the end token carries no alternatives (servers leave it out).
  if (logprobsPlan) push([0, 1, 2].map((k) => ({ prompt: logprobsPlan.plan.position.prompt, fields: { ...target.baseline, ...logprobsPlan.plan.setting }, seed: seed + CHECK_SEEDS + 5000 + k, maxTokens: 1, topLogprobs: target.maxTopLogprobs })));
  const answers = await runner.run(batch);
  const slice = (k: number): TargetAnswer[] => {
    const { start, count } = slices[k] as { start: number; count: number };
    return answers.slice(start, start + count);
  };

  // Verdicts.
  let k = 0;
  for (const entry of live) {
    const draws = [firsts[plans.indexOf(entry)] as TargetAnswer, ...slice(k++)];
    results.set(entry.index, knobResult(entry.plan, draws, alpha, rules, target.baseline, profile, seed + 1000 + SEED_STRIDE * entry.index, planOptions));
  }
  const checks: CheckResult[] = [];
  if (seedCheck) results.set(seedIndex, judgeSeed(seedCheck.position, slice(k++), seedCheck.seeds, alpha));
  let greedy: KnobResult | undefined;
  if (greedyCheck) greedy = judgeGreedy(greedyCheck.position, slice(k++), greedyCheck.seeds, alpha);
  if (blindGreedy) {
    const zero = slice(k++);
    greedy = judgeGreedyWithoutLogprobs(zero, slice(k++), blindGreedy.seeds, alpha);
  }
  if (neutralPosition && neutralSeeds.length > 0) {
    const draws = slice(k++);
    const refused = refusalOf(draws);
    if (refused) checks.push({ check: 'neutral', result: 'untestable', p_value: null, n: draws.length, evidence: { summary: `the baseline request was refused: ${refused.reason}` } });
    else checks.push(judgeNeutral(neutralPosition, expectedCells(neutralModel(neutralPosition, plans), target.baseline, rules), draws, alpha));
  }
  if (logprobsPlan) {
    const tries = slice(k++);
    const answer = tries.find((item) => item.status === 'ok' && (item.tokens[0]?.top?.length ?? 0) > 0) ?? (tries[0] as TargetAnswer);
    checks.push(judgeLogprobs(logprobsPlan.plan.position, logprobsPlan.plan.appliedTruth, logprobsPlan.plan.setting, answer));
  }
  const rows: KnobResult[] = [];
  knobs.forEach((_, index) => {
    const result = results.get(index);
    if (result) rows.push(result);
    if (index === temperatureIndex && greedy) rows.push(greedy);
  });
  checks.push(judgeRefusals(rows));
  return {
    target: { ...target.description, label: target.label, profile },
    knobs: rows,
    checks,
    settings: {
      alpha,
      power: planOptions.power,
      min_n: planOptions.minN,
      max_n: planOptions.maxN,
      seed,
      profile,
      ...(target.profileNote ? { profile_note: target.profileNote } : {}),
      knobs_source: target.knobsSource,
    },
    requests: runner.done,
    elapsed_ms: Math.round(performance.now() - started),
  };
}

/** The model space of the neutral check: that of the plan at the same position, else the position's own. */
function neutralModel(position: Position, plans: readonly { plan: KnobPlan }[]): ModelSpace {
  return plans.find((entry) => entry.plan.position === position)?.plan.space ?? (modelSpaces(position)[0] as ModelSpace);
}

const known = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** The row of one measured knob. */
function knobResult(plan: KnobPlan, draws: readonly TargetAnswer[], alpha: number, rules: ExpectationRules, baseline: Fields, profile: string | null, firstSeed: number, options: PlanOptions): KnobResult {
  const labels = cellLabels(plan.position);
  const refused = refusalOf(draws);
  if (refused) {
    return { knob: plan.knob.name, setting: plan.setting, verdict: 'refused', p_value: null, n: draws.length, evidence: { summary: `a later request was refused: ${refused.reason}`, refusal: { reason: refused.reason, by_server: refused.byServer }, profile } };
  }
  const counts = new Float64Array(plan.applied.length);
  for (const answer of draws) {
    const cell = cellOf(plan.position, firstKey(answer));
    counts[cell] = (counts[cell] as number) + 1;
  }
  const judgement = judgeKnob(plan, counts, labels, alpha, rules, baseline);
  const cells = labels
    .map((token, cell) => ({ token, applied: known(plan.applied[cell] as number), ignored: known(plan.ignored[cell] as number), observed: counts[cell] as number }))
    .filter((row) => row.applied !== 0 || row.ignored !== 0 || row.observed > 0);
  const notes: string[] = [];
  if (plan.space.assumption !== 'full' && plan.space.assumption !== 'listed-tokens-are-all') {
    notes.push('tokens past the top log-probabilities are counted together as "(other)"; the plan checked that what they hold cannot bias the expected counts of the listed tokens');
    if (Number.isNaN(plan.applied[plan.applied.length - 1] as number) || Number.isNaN(plan.ignored[plan.ignored.length - 1] as number)) notes.push('where the chance of "(other)" is unknown (null), that model is tested on the draws of the listed tokens alone');
  }
  return {
    knob: plan.knob.name,
    setting: plan.setting,
    verdict: judgement.verdict,
    p_value: judgement.pValue,
    n: draws.length,
    evidence: {
      summary: judgement.summary,
      alpha,
      prompt: plan.position.prompt,
      seeds: [firstSeed, firstSeed + draws.length - 1],
      applied: judgement.applied,
      ignored: judgement.ignored,
      log_likelihood_ratio: judgement.logLikelihoodRatio,
      plan: {
        n_needed: plan.nNeeded,
        power: plan.power,
        effect: `${describeSetting(plan.setting)} applied vs ignored, each rejected with power >= ${options.power} at alpha ${alpha}`,
        ...(plan.resolution ? { resolution: 'nNeeded' in plan.resolution ? { setting: plan.resolution.setting, n_needed: plan.resolution.nNeeded, power: plan.resolution.power } : plan.resolution } : {}),
      },
      ...(judgement.bestFit !== undefined ? { best_fit: judgement.bestFit } : {}),
      cells,
      profile,
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
}
