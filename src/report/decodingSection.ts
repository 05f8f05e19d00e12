import type { FigureSpec } from '../charts/theme.js';
import type { ReportSection } from './types.js';
import type { DecodingComparison } from '../decoding/compareDecoding.js';
import { decodingComparisonChart } from './decodingChart.js';
import { decodingTable } from './decodingTable.js';
import { decodingFindings, paperFindings } from '../decoding/findings.js';

/**
 * The decoding comparison as a section of the tour report (plain data in the report's
 * `ReportSection` shape): what was run, the table with the paper's Table 1 beside ours, the
 * chart (`decodingComparisonChart`), the paper's findings with their verdict here and in
 * the paper itself, and the first prompt's continuation by every row (decoded with
 * `decode` when given).
 *
 * @example
 * const section = decodingComparisonSection(comparison, (tokens) => model.decode(tokens));
 */
export function decodingComparisonSection(comparison: DecodingComparison, decode?: (tokens: readonly number[]) => string): ReportSection {
  const inPaper = new Map(paperFindings().map((finding) => [finding.id, finding.holds]));
  const verdict = (holds: boolean | null | undefined): string => (holds === true ? 'yes' : holds === false ? 'no' : 'n/a');
  const findings = decodingFindings(comparison);
  const table = decodingTable(comparison, { paper: true });
  const examples = decode
    ? comparison.rows.flatMap((row) => {
        const first = row.generations?.[0];
        return first ? [[row.label, decode(first.tokens)]] : [];
      })
    : [];
  return {
    id: 'decoding-comparison',
    title: 'Decoding strategies: likelihood, diversity and repetition',
    paragraphs: [
      'Holtzman et al. (2020, "The Curious Case of Neural Text Degeneration", Table 1) compared decoding strategies by the perplexity of what they generate, ' +
        'its diversity (self-BLEU-4, Zipf coefficient) and how often it ends in a loop. ' +
        `This is the same comparison on ${comparison.model}: ${comparison.prompts} prompts, ${comparison.maxTokens} tokens per continuation, ` +
        `prompt i decoded with seed ${comparison.seed} + i by every stochastic strategy.`,
      'Perplexity is measured under the generating model, pooled over tokens. Repetition % is the share of continuations that end in a loop by the rule of the paper\u2019s ' +
        'released script (a phrase of at least three tokens twice in a row at the end, or any phrase more than 50 times). The other metrics are computed on token ids.',
    ],
    figures: [
      {
        name: 'decoding-comparison',
        title: 'Perplexity, self-BLEU-4, Zipf coefficient and repetition by strategy',
        caption: 'The dashed line in each panel is the human continuation of the same prompts.',
        spec: decodingComparisonChart(comparison) as unknown as FigureSpec,
      },
    ],
    tables: [
      { caption: 'Our measurements, then the paper\u2019s Table 1 (GPT-2 Large, WebText) where it has the same row.', header: table.header, rows: table.rows },
      {
        caption: 'The paper\u2019s qualitative findings: do they hold here, and in the paper\u2019s own Table 1?',
        header: ['finding', 'here', 'in the paper', 'numbers here'],
        rows: findings.map((finding) => [finding.claim, verdict(finding.holds), verdict(inPaper.get(finding.id)), finding.detail]),
      },
      ...(examples.length > 0 ? [{ caption: 'The first prompt continued by each row.', header: ['strategy', 'continuation'], rows: examples }] : []),
    ],
    notes: [
      'The paper generated 5,000 continuations of up to 200 tokens; with n continuations each one is worth 100 / n points of repetition %, and self-BLEU and Zipf are noisier.',
      'In the paper itself, top-k = 640 (0.28 %) is closer to the human repetition rate (0.28 %) than nucleus sampling (0.36 %).',
    ],
  };
}
