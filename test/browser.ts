// Shared by the browser tests: Debian's Chromium, launched as this machine needs, and
// what a page shows of its problems and its Vega charts.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Launches headless Chromium with a fresh profile (playwright's own --user-data-dir) and no background network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Every console error (and warning, when `warnings`), uncaught exception and failed
 * request of a page, for the tests to fail on.
 */
export function collectProblems(page: Page, options: { warnings?: boolean } = {}): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || (options.warnings && message.type() === 'warning')) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return problems;
}

/** What a report page drew for each `figure.chart`. */
export interface DrawnFigure {
  readonly name: string | null;
  readonly error: string | null;
  readonly width: number;
  readonly height: number;
  /** Number of path, rect and line elements. */
  readonly marks: number;
  readonly texts: string[];
  /** Computed font family of the first text element ('' when none). */
  readonly font: string;
}

/** The figures of a report page (`figure.chart` elements with an inline SVG). */
export function drawnFigures(page: Page): Promise<DrawnFigure[]> {
  return page.$$eval('figure.chart', (elements) =>
    elements.map((element) => {
      const svg = element.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const firstText = svg?.querySelector('text');
      return {
        name: element.getAttribute('data-figure'),
        error: element.getAttribute('data-error'),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg?.querySelectorAll('path, rect, line').length ?? 0,
        texts: Array.from(svg?.querySelectorAll('text') ?? []).map((text) => text.textContent ?? ''),
        font: firstText ? getComputedStyle(firstText).fontFamily : '',
      };
    }),
  );
}
