import { describe, expect, it } from 'vitest';
import { escapeHtml, pageHtml, prepareInlineSvg, tableHtml } from '../../src/report/html.js';

describe('escapeHtml', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`p < 0.9 & "T" 'x' > 0`)).toBe('p &lt; 0.9 &amp; &quot;T&quot; &#39;x&#39; &gt; 0');
  });
});

describe('prepareInlineSvg', () => {
  it('prefixes every id and its references, so two figures in one page never share a clip path', () => {
    const svg = '<svg x="1"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"></g><use href="#clip1"/></svg>';
    const a = prepareInlineSvg(svg, 'a', 'Figure A');
    const b = prepareInlineSvg(svg, 'b', 'Figure B');
    expect(a).toContain('id="a-clip1"');
    expect(a).toContain('url(#a-clip1)');
    expect(a).toContain('href="#a-clip1"');
    expect(b).toContain('id="b-clip1"');
    expect(a).not.toContain('"clip1"');
    expect(a.startsWith('<svg role="img" aria-label="Figure A" ')).toBe(true);
  });
});

describe('tableHtml', () => {
  it('right-aligns numeric columns and escapes cells', () => {
    const html = tableHtml({ header: ['token', 'p'], rows: [['<b>', '0.4367'], ['a', '26.5%']] });
    expect(html).toContain('<td>&lt;b&gt;</td>');
    expect(html).toContain('<td class="num">0.4367</td>');
    expect(html).toContain('<th class="num">p</th>');
  });
});

describe('pageHtml', () => {
  it('has no script and loads its font from a relative file', () => {
    const html = pageHtml({ title: 'T', subtitle: 'S', fonts: { regular: 'fonts/DejaVuSans.ttf', bold: 'fonts/DejaVuSans-Bold.ttf' } }, [
      { section: { id: 'one', title: 'One', unavailable: 'no model' }, figures: [{ name: 'f', title: 'F', error: 'broken', files: [] }] },
    ]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("url('fonts/DejaVuSans.ttf')");
    expect(html).toContain('This section is unavailable: no model');
    expect(html).toContain('The figure could not be drawn: broken');
  });
});
