import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/experiments/resultRow.js';
import { ResultsAppender, readResultsFile } from '../../src/experiments/resultsFile.js';

const dir = mkdtempSync(join(tmpdir(), 'knobs-results-'));
let counter = 0;
const file = (): string => join(dir, `r${counter++}.jsonl`);

function row(key: string, ordinal: number): ResultRow {
  return {
    type: 'completion', key, ordinal, experiment: 'e', prompt_id: 'p1', prompt: 'Hi', provider: 'local', model: 'embedded', label: 'local/embedded',
    settings: { temperature: 1 }, index: ordinal, status: 'ok', text: `text ${ordinal}`, notes: [], latency_ms: 1, sent: {}, attempts: 1, started_at: 't', finished_at: 't',
  };
}

describe('readResultsFile', () => {
  it('reads a missing file as empty', () => {
    expect(readResultsFile(join(dir, 'none.jsonl'))).toEqual({ rows: [], validBytes: 0, torn: false, duplicates: 0 });
  });

  it('reads the header and the rows of complete lines', () => {
    const path = file();
    const out = ResultsAppender.open(path, 0);
    out.append({ type: 'run', format: 1, experiment: 'e', jobs_hash: 'h', jobs: 2, created_at: 't' });
    out.append(row('a', 0));
    out.append(row('b', 1));
    out.close();
    const contents = readResultsFile(path);
    expect(contents.header?.jobs_hash).toBe('h');
    expect(contents.rows.map((r) => r.key)).toEqual(['a', 'b']);
    expect(contents.torn).toBe(false);
    expect(contents.validBytes).toBe(readFileSync(path).length);
  });

  it('ignores a torn last line, even one whose text parses, and says where the good part ends', () => {
    const path = file();
    const good = `${JSON.stringify(row('a', 0))}\n`;
    writeFileSync(path, `${good}{"type":"completion","key":"b","ordi`);
    expect(readResultsFile(path)).toMatchObject({ torn: true, validBytes: Buffer.byteLength(good), duplicates: 0 });
    writeFileSync(path, `${good}${JSON.stringify(row('b', 1))}`); // complete JSON, newline missing
    const contents = readResultsFile(path);
    expect(contents.rows.map((r) => r.key)).toEqual(['a']);
    expect(contents.torn).toBe(true);
  });

  it('keeps the first row of a key and counts the others', () => {
    const path = file();
    writeFileSync(path, [row('a', 0), { ...row('a', 0), text: 'again' }, row('b', 1)].map((r) => `${JSON.stringify(r)}\n`).join(''));
    const contents = readResultsFile(path);
    expect(contents.rows.map((r) => r.text)).toEqual(['text 0', 'text 1']);
    expect(contents.duplicates).toBe(1);
  });

  it('refuses a broken line before the last, naming the line', () => {
    const path = file();
    writeFileSync(path, `${JSON.stringify(row('a', 0))}\nnot json\n${JSON.stringify(row('b', 1))}\n`);
    expect(() => readResultsFile(path)).toThrow(/line 2 is not JSON \("not json"\): the results file is damaged before its last line/);
  });

  it('refuses a line that is not a results row', () => {
    const path = file();
    writeFileSync(path, '{"hello":1}\n');
    expect(() => readResultsFile(path)).toThrow(/line 1 is not a results row/);
  });
});

describe('ResultsAppender', () => {
  it('cuts a torn tail off before appending, so rows never glue together', () => {
    const path = file();
    writeFileSync(path, `${JSON.stringify(row('a', 0))}\n{"type":"compl`);
    const { validBytes } = readResultsFile(path);
    const out = ResultsAppender.open(path, validBytes);
    out.append(row('b', 1));
    out.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(readResultsFile(path)).toMatchObject({ torn: false, duplicates: 0 });
    expect(readResultsFile(path).rows.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('writes each line whole, ending in a newline', () => {
    const path = file();
    const out = ResultsAppender.open(path, 0);
    out.append(row('a', 0));
    appendFileSync(path, ''); // another handle sees the complete line at once
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(row('a', 0))}\n`);
    out.close();
    expect(() => out.append(row('b', 1))).toThrow(/is closed/);
  });
});
