import { describe, expect, it } from 'vitest';
import { renderPng, renderSvg } from '../../src/charts/render.js';
import { temperatureFigureData, temperatureFigureSpec } from '../../src/charts/temperatureFigure.js';
import { seedExamples } from '../../src/examples/index.js';

const figure = seedExamples.temperature_figure;

/** Width and height of a PNG from its IHDR chunk. */
const pngSize = (png: Buffer): [number, number] => [png.readUInt32BE(16), png.readUInt32BE(20)];
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] as string);

describe("the seed's temperature figure", () => {
  const panels = temperatureFigureData(figure.logits, figure.panels.map((panel) => panel.T));

  it('reproduces the probabilities of every panel from the 20 logits', () => {
    panels.forEach((panel, index) => {
      const expected = figure.panels[index]?.probs ?? [];
      expected.forEach((p, id) => expect(panel.probs[id]).toBeCloseTo(p, 6));
    });
  });

  it('labels the top bars 59.0%, 45.5%, 35.7%, 24.8% and titles the panels Temperature = T', async () => {
    const svg = await renderSvg(temperatureFigureSpec(panels));
    const labels = texts(svg);
    const percentages = labels.filter((text) => /^\d+\.\d%$/.test(text));
    expect(percentages).toEqual(figure.panels.map((panel) => panel.top_label));
    expect(percentages).toEqual(['59.0%', '45.5%', '35.7%', '24.8%']);
    for (const title of ['Temperature = 0.3', 'Temperature = 0.7', 'Temperature = 1.0', 'Temperature = 1.5']) expect(labels).toContain(title);
    expect(labels.filter((text) => text === 'Probability')).toHaveLength(4);
    expect(labels.filter((text) => text === 'Token rank (1 = most likely)')).toHaveLength(4);
  });

  it('draws the top bar dark red and the other 19 steel blue in each panel', async () => {
    const svg = await renderSvg(temperatureFigureSpec(panels));
    const bars = [...svg.matchAll(/aria-roledescription="bar"[^>]*fill="(#[0-9a-f]+)"/g)].map((match) => match[1]);
    expect(bars.filter((fill) => fill === '#8b0000')).toHaveLength(4);
    expect(bars.filter((fill) => fill === '#4682b4')).toHaveLength(4 * 19);
  });

  it('is 900 x 750, and 1800 x 1500 pixels as PNG (the size the seed saved)', async () => {
    const svg = await renderSvg(temperatureFigureSpec(panels));
    expect(svg).toMatch(/^<svg [^>]*width="900" height="750"/);
    expect(pngSize(await renderPng(svg))).toEqual([1800, 1500]);
  });
});
