import { signal } from '@preact/signals';
import { ChainEditor } from './components/ChainEditor.js';
import { CumulativeChart } from './components/CumulativeChart.js';
import { EngineCompare } from './components/EngineCompare.js';
import { GenerationPanel } from './components/GenerationPanel.js';
import { PresetBar } from './components/PresetBar.js';
import { SamplingPanel } from './components/SamplingPanel.js';
import { SourcePanel } from './components/SourcePanel.js';
import { StatsView } from './components/StatsView.js';
import { SummaryBar } from './components/SummaryBar.js';
import { TokenBars } from './components/TokenBars.js';
import { Waterfall } from './components/Waterfall.js';
import { analysis, serverInfo } from './state/store.js';

/** Problems found in the link the page was opened with. */
export const urlProblems = signal<string[]>([]);
const copied = signal(false);

/** The whole page. */
export function App() {
  const { error: chainError, stale, value } = analysis.value;
  const warnings = chainError ? [] : (value?.warnings ?? []);
  return (
    <>
      <header class="top">
        <div class="title">
          <h1>knobs playground</h1>
          <p class="tagline">Every sampling knob on a real next-token distribution. Move a slider and watch.</p>
          <button
            type="button"
            class="share"
            onClick={() => {
              void navigator.clipboard?.writeText(window.location.href).then(() => {
                copied.value = true;
                setTimeout(() => (copied.value = false), 1500);
              });
            }}
          >
            {copied.value ? 'Link copied' : 'Copy link'}
          </button>
        </div>
        <PresetBar />
      </header>
      <SummaryBar />
      {urlProblems.value.length > 0 ? (
        <div class="banner problem" role="alert">
          {urlProblems.value.map((problem) => (
            <p key={problem}>{problem}</p>
          ))}
        </div>
      ) : null}
      <main class="layout">
        <div class="controls">
          <SourcePanel />
          <ChainEditor />
        </div>
        <div class={`views${stale ? ' stale' : ''}`}>
          {chainError ? (
            <p class="banner problem" role="alert" data-testid="chain-error">
              {chainError}
              {stale ? ' — the views below show the last chain that worked.' : ''}
            </p>
          ) : null}
          {warnings.length > 0 ? (
            <div class="banner warning" role="status" data-testid="engine-warnings">
              {warnings.map((warning) => (
                <p key={warning}>{warning}</p>
              ))}
            </div>
          ) : null}
          <StatsView />
          <TokenBars />
          <GenerationPanel />
          <CumulativeChart />
          <Waterfall />
          <SamplingPanel />
          <EngineCompare />
        </div>
      </main>
      <footer>
        creativity-knobs {serverInfo.value?.version ?? ''} · every number is computed in this page by the same library as the <code>knobs</code> command
      </footer>
    </>
  );
}
