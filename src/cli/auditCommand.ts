import { createInterface } from 'node:readline/promises';
import { formatValue } from '../core/errors.js';
import { auditTarget } from '../audit/auditTarget.js';
import { AuditStore } from '../audit/store.js';
import { formatAuditTable } from './auditTable.js';
import { writeAuditReport } from '../audit/auditReport.js';
import { anthropicTarget, openAICompatibleTarget, openAITarget } from '../audit/targets/providerTarget.js';
import type { AuditResult, AuditTarget } from '../audit/types.js';
import { CONFIRM_ABOVE, describePreview, type RunPreview } from '../experiments/preview.js';
import { formatProgress } from '../experiments/progress.js';
import type { RunProgress } from '../experiments/runExperiment.js';
import { UsageError } from './errors.js';
import { parseCount, parseSeed } from './inputs.js';
import type { AuditFlags } from './commands/audit.js';
import { fancyOutput } from './terminal.js';

function parseProbability(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !(value > 0 && value < 1)) throw new UsageError(`${name} = ${formatValue(text)} is out of range: expected a number in (0, 1)`);
  return value;
}

/** The target the flags name. */
async function targetOf(flags: AuditFlags): Promise<AuditTarget> {
  const model = flags.model;
  const key = flags.apiKeyEnv === undefined ? {} : { apiKeyEnv: flags.apiKeyEnv };
  if (model?.startsWith('gguf:')) {
    if (flags.sampler !== 'native') {
      throw new UsageError(`--model ${model} is audited with node-llama-cpp's own sampler: add --sampler native (our own samplers on it are exact by construction; knobs dist --model shows them)`);
    }
    const { ggufNativeTarget } = await import('../audit/targets/ggufNative.js');
    const { ggufOptionsFromEnv } = await import('../models/ggufModel.js');
    const options = ggufOptionsFromEnv();
    return ggufNativeTarget(model.slice('gguf:'.length), { ...(options.threads !== undefined ? { threads: options.threads } : {}), ...(options.gpu !== undefined ? { gpu: options.gpu } : {}) });
  }
  if (flags.sampler !== undefined) throw new UsageError(`--sampler ${flags.sampler}: only --sampler native with --model gguf:PATH is known`);
  if (model?.startsWith('transformers:')) {
    const { transformersTarget } = await import('../audit/targets/transformersJs.js');
    return transformersTarget(model.slice('transformers:'.length));
  }
  if (flags.provider === 'openai' || flags.provider === 'anthropic') {
    if (model === undefined) throw new UsageError(`--provider ${flags.provider} needs --model (e.g. ${flags.provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5'})`);
    const options = { model, ...key, ...(flags.baseUrl === undefined ? {} : { baseURL: flags.baseUrl }) };
    return flags.provider === 'openai' ? openAITarget(options) : anthropicTarget(options);
  }
  if (flags.provider !== undefined && flags.provider !== 'openai-compatible') throw new UsageError(`--provider ${flags.provider}: expected openai, anthropic or openai-compatible`);
  if (flags.baseUrl === undefined) throw new UsageError('no target: give --base-url URL (an OpenAI-compatible server), --provider openai|anthropic, --model gguf:PATH --sampler native, or --model transformers:DIR');
  return openAICompatibleTarget({ baseURL: flags.baseUrl, server: flags.server ?? 'generic', ...(model === undefined ? {} : { model }), ...key });
}

async function confirm(preview: RunPreview, yes: boolean): Promise<void> {
  if (preview.paid <= CONFIRM_ABOVE || yes) return;
  const description = describePreview(preview);
  if (!process.stdin.isTTY) throw new UsageError(`this audit sends ${preview.paid} paid requests (${description}); pass --yes to confirm (more than ${CONFIRM_ABOVE} paid requests need confirmation)`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`This audit sends ${description}. Continue? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('audit cancelled: no knob request was sent');
  } finally {
    prompt.close();
  }
}

/**
 * Runs `knobs audit` from its flags: builds the target, audits it with a progress bar
 * (on a terminal, CI unset), a cost preview and confirmation for paid APIs, Ctrl-C that
 * stops cleanly (the answers in `--out` stay for `--resume`), then prints the table or JSON
 * and writes the HTML report.
 *
 * @example
 * await runAuditCommand({ baseUrl: 'http://127.0.0.1:8765/v1', server: 'knobs', prompt: [], json: true });
 */
export async function runAuditCommand(flags: AuditFlags): Promise<void> {
  if (flags.resume && flags.out === undefined) throw new UsageError('--resume needs --out FILE (the requests file to continue)');
  const alpha = parseProbability('--alpha', flags.alpha, 1e-4);
  const power = parseProbability('--power', flags.power, 0.999);
  const minN = parseCount('--min-n', flags.minN, 100, 10, 10_000);
  const maxN = parseCount('--max-n', flags.maxN, 4000, minN, 10_000);
  const seed = parseSeed(flags.seed);
  const concurrency = flags.concurrency === undefined ? undefined : parseCount('--concurrency', flags.concurrency, 8, 1, 256);
  const rateLimit = flags.rateLimit === undefined ? undefined : parseCount('--rate-limit', flags.rateLimit, 0, 1, 1_000_000);
  const knobs = flags.knobs?.split(',').map((entry) => entry.trim()).filter(Boolean);
  const target = await targetOf(flags);
  const store = flags.out === undefined ? undefined : AuditStore.open(flags.out, target.description, { ...(flags.resume ? { resume: true } : {}), ...(flags.overwrite ? { overwrite: true } : {}) });
  const fancy = fancyOutput(process.stderr);
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write(`\nknobs: stopping after the requests in flight (Ctrl-C again to quit now)${flags.out ? `; continue later with --out ${flags.out} --resume` : ''}\n`);
  };
  process.on('SIGINT', onSignal);
  let lastDrawn = 0;
  const draw = (progress: RunProgress): void => {
    const now = performance.now();
    if (!fancy || (now - lastDrawn < 100 && progress.done < progress.total)) return;
    lastDrawn = now;
    process.stderr.write(`\r\u001b[2K${formatProgress(progress)}`);
  };
  let result: AuditResult;
  try {
    result = await auditTarget(target, {
      ...(knobs && knobs.length > 0 ? { knobs } : {}),
      ...(flags.prompt.length > 0 ? { prompts: flags.prompt } : {}),
      alpha,
      power,
      minN,
      maxN,
      seed,
      ...(store ? { store } : {}),
      signal: controller.signal,
      ...(concurrency !== undefined || rateLimit !== undefined ? { limits: { concurrency: concurrency ?? target.limits.concurrency, ...(rateLimit !== undefined ? { requestsPerMinute: rateLimit } : {}) } } : {}),
      onProgress: draw,
      onRetry: (attempt, delayMs, error) => {
        if (fancy) process.stderr.write('\r\u001b[2K');
        process.stderr.write(`knobs: ${target.label}: attempt ${attempt} failed (${(error as Error).message}); retrying in ${(delayMs / 1000).toFixed(1)} s\n`);
      },
      confirm: (preview) => confirm(preview, flags.yes === true),
    });
  } finally {
    if (fancy) process.stderr.write('\r\u001b[2K');
    process.off('SIGINT', onSignal);
    store?.close();
    await target.close?.();
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${formatAuditTable(result)}\n`);
  if (flags.report !== undefined) {
    const written = await writeAuditReport(result, { dir: flags.report, png: flags.png !== false });
    if (!flags.json) process.stdout.write(`report written to ${written.indexPath} (${written.figures} figures)\n`);
    for (const failed of written.failedFigures) process.stderr.write(`knobs: figure ${failed.name} could not be drawn: ${failed.error}\n`);
  }
}
