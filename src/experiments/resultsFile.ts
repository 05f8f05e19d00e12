import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError, formatValue } from '../core/errors.js';
import type { ResultLine, ResultRow, RunHeader } from './resultRow.js';

/** What `readResultsFile` found. */
export interface ResultsFileContents {
  readonly header?: RunHeader;
  /** Completion rows in file order, the first row of each key only. */
  readonly rows: ResultRow[];
  /** Byte length of the complete lines: everything after it is a torn last line. */
  readonly validBytes: number;
  /** Whether the file ends in a torn line (a write cut short by a crash), which is ignored. */
  readonly torn: boolean;
  /** Rows whose key was already seen (ignored; a correct run never writes any). */
  readonly duplicates: number;
}

/**
 * Reads a JSONL results file. Every complete line (ending in `\n`) must be a JSON object;
 * a last line without its newline is a write cut short by a crash (SIGKILL, power loss)
 * and is ignored, even if its text happens to parse, because the row may be incomplete and
 * its job will simply run again. A missing file reads as empty. A broken line before the
 * last one throws `InvalidInputError` with its line number: that file was edited or
 * written by something else.
 *
 * @example
 * const { rows, torn } = readResultsFile('results.jsonl');
 */
export function readResultsFile(path: string): ResultsFileContents {
  if (!existsSync(path)) return { rows: [], validBytes: 0, torn: false, duplicates: 0 };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const text = bytes.subarray(0, end).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // the empty string after the last newline
  let header: RunHeader | undefined;
  const rows: ResultRow[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: ResultLine;
    try {
      value = JSON.parse(line) as ResultLine;
    } catch {
      throw new InvalidInputError(`${path} line ${index + 1} is not JSON (${formatValue(line)}): the results file is damaged before its last line`);
    }
    if (value === null || typeof value !== 'object') throw new InvalidInputError(`${path} line ${index + 1} is not a JSON object`);
    if (value.type === 'run') {
      header ??= value;
    } else if (value.type === 'completion' && typeof value.key === 'string') {
      if (seen.has(value.key)) duplicates++;
      else {
        seen.add(value.key);
        rows.push(value);
      }
    } else {
      throw new InvalidInputError(`${path} line ${index + 1} is not a results row: expected "type": "run" or "completion" with a "key"`);
    }
  });
  return { ...(header ? { header } : {}), rows, validBytes: end, torn: end < bytes.length, duplicates };
}

/**
 * Appends lines to a results file, each one written with a single `write` and made
 * durable with `fsync` before `append` returns, so a row that was reported written
 * survives a crash. Opening cuts a torn last line off first (`validBytes` from
 * `readResultsFile`), so that the next row does not glue onto it. Keep one appender per
 * file; JavaScript runs appends one at a time, so lines never interleave.
 *
 * @example
 * const out = ResultsAppender.open('results.jsonl', readResultsFile('results.jsonl').validBytes);
 * out.append(row);
 * out.close();
 */
export class ResultsAppender {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens `path` for appending, truncated to `validBytes` when it is longer. */
  static open(path: string, validBytes: number): ResultsAppender {
    const created = !existsSync(path);
    if (!created) truncateSync(path, validBytes);
    const fd = openSync(path, 'a');
    if (created) syncDirectory(dirname(path));
    return new ResultsAppender(path, fd);
  }

  /** Writes one line (JSON + `\n`) and waits until it is on disk. */
  append(line: ResultLine): void {
    if (this.fd === undefined) throw new InvalidInputError(`${this.path} is closed`);
    const buffer = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset, buffer.length - offset);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Makes a new file's directory entry durable (best effort: not every system allows it). */
function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rows themselves are still synced.
  }
}
