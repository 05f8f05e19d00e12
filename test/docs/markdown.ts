/**
 * The pieces of a Markdown guide that the docs test runs and the docs script rewrites:
 * fenced code blocks (with their skip marker and the output block after them) and the
 * generated regions. Offsets are into the file's text, so a writer can splice new
 * content in place.
 */

/** How a fenced block takes part in the docs test. */
export type BlockKind = 'sh' | 'ts' | 'js' | 'file' | 'output' | 'other';

/** One fenced code block. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The first word of the info string (`sh`, `ts`, `text`, ...). */
  readonly lang: string;
  readonly kind: BlockKind;
  /** The block's text (without the fences), ending in a newline unless empty. */
  readonly code: string;
  /** Offsets of `code` in the file. */
  readonly start: number;
  readonly end: number;
  /** `file=NAME` of the info string: the block is written to NAME in the working directory. */
  readonly file?: string;
  /** The reason of a `# skip: REASON` (or `// skip: REASON`) first line. */
  readonly skip?: string;
  /** The `text` block right after a runnable block (only blank lines between): its expected output. */
  output?: CodeBlock;
}

/** A region of the file that a generator writes: `<!-- generated: NAME ARGS -->` ... `<!-- end generated -->`. */
export interface GeneratedRegion {
  readonly line: number;
  readonly name: string;
  readonly args: string;
  readonly content: string;
  readonly start: number;
  readonly end: number;
}

/** A parsed guide. */
export interface MarkdownDocument {
  readonly blocks: CodeBlock[];
  readonly regions: GeneratedRegion[];
  /**
   * Whether each block stands alone (`<!-- docs-test: independent blocks -->` in the file):
   * each then runs in its own directory, in parallel with the others, instead of all of
   * them in order in one.
   */
  readonly independent: boolean;
}

/** The marker of a guide whose blocks do not depend on each other. */
export const INDEPENDENT_MARKER = '<!-- docs-test: independent blocks -->';

const LANGS: Readonly<Record<string, BlockKind>> = {
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  text: 'output',
};

/** The first line of a block that skips it: `# skip: needs OPENAI_API_KEY`. */
const SKIP_LINE = /^\s*(?:#|\/\/) skip: (.+?)\s*$/;

/**
 * Splits Markdown into its fenced blocks and generated regions. A `text` block is the
 * output of the runnable block before it when only blank lines separate them; any other
 * `text` block is prose.
 *
 * @example
 * parseMarkdown('```sh\necho hi\n```\n\n```text\nhi\n```\n').blocks[0]?.output?.code; // 'hi\n'
 */
export function parseMarkdown(text: string): MarkdownDocument {
  const blocks: CodeBlock[] = [];
  const regions: GeneratedRegion[] = [];
  const lines = text.split('\n');
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  let index = 0;
  let region: { line: number; name: string; args: string; start: number } | undefined;
  while (index < lines.length) {
    const line = lines[index] as string;
    const fence = /^(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(line);
    if (fence) {
      const marker = fence[1] as string;
      const lang = (fence[2] ?? '').toLowerCase();
      const info = fence[3] ?? '';
      let close = index + 1;
      while (close < lines.length && !new RegExp(`^${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[close] as string)) close++;
      if (close >= lines.length) throw new Error(`line ${index + 1}: the code block is never closed`);
      const start = offsets[index + 1] as number;
      const end = offsets[close] as number;
      const code = text.slice(start, end);
      const fileName = /(?:^|\s)file=(\S+)/.exec(info)?.[1];
      const kind: BlockKind = fileName !== undefined ? 'file' : (LANGS[lang] ?? 'other');
      const skip = kind === 'sh' || kind === 'ts' || kind === 'js' ? SKIP_LINE.exec(code.split('\n')[0] ?? '')?.[1] : undefined;
      const block: CodeBlock = { line: index + 1, lang, kind, code, start, end, ...(fileName === undefined ? {} : { file: fileName }), ...(skip === undefined ? {} : { skip }) };
      const previous = blocks[blocks.length - 1];
      if (kind === 'output' && previous && (previous.kind === 'sh' || previous.kind === 'ts' || previous.kind === 'js') && previous.output === undefined) {
        const between = text.slice(previous.end, offsets[index] as number).split('\n').slice(1);
        if (between.every((gap) => gap.trim() === '')) previous.output = block;
      }
      blocks.push(block);
      index = close + 1;
      continue;
    }
    const open = /^<!-- generated: (\S+)(.*?) -->\s*$/.exec(line);
    if (open) {
      if (region) throw new Error(`line ${index + 1}: generated region inside the region of line ${region.line}`);
      region = { line: index + 1, name: open[1] as string, args: (open[2] ?? '').trim(), start: offsets[index + 1] ?? text.length };
    } else if (/^<!-- end generated -->\s*$/.test(line)) {
      if (!region) throw new Error(`line ${index + 1}: end of a generated region that never began`);
      const end = offsets[index] as number;
      regions.push({ ...region, content: text.slice(region.start, end), end });
      region = undefined;
    }
    index++;
  }
  if (region) throw new Error(`line ${region.line}: generated region ${region.name} is never ended (<!-- end generated -->)`);
  return { blocks, regions, independent: lines.some((line) => line.trim() === INDEPENDENT_MARKER) };
}

/**
 * Replaces pieces of `text` (non-overlapping `[start, end)` ranges) at once.
 *
 * @example
 * splice('abcdef', [{ start: 1, end: 3, text: 'X' }]); // 'aXdef'
 */
export function splice(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
