import { render } from 'preact';
import { fetchInfo } from './api/client.js';
import { App, urlProblems } from './app.js';
import { restoreGeneration, startTextDecoder } from './generation/session.js';
import { startLoader } from './state/loader.js';
import { serverInfo, source } from './state/store.js';
import { restoreFromSearch, startUrlSync } from './state/url.js';
import './styles.css';

/** Starts the page: restore the link's state, learn what the server offers, then load and render. */
async function start(): Promise<void> {
  const restored = restoreFromSearch(window.location.search);
  urlProblems.value = restored.problems;
  const info = await fetchInfo();
  serverInfo.value = info;
  const firstModel = info?.models[0];
  if (!restored.hasSource && firstModel) source.value = { kind: 'model', model: firstModel.id, prompt: 'The weather today is' };
  startLoader();
  startTextDecoder();
  startUrlSync();
  render(<App />, document.getElementById('app') as HTMLElement);
  if (restored.generated.length > 0) await restoreGeneration(restored.generated);
  document.documentElement.dataset.ready = 'true';
}

void start();
