import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { buildReporter } from '../modelInput.js';
import { parseCount } from '../options.js';

interface PlaygroundCommandOptions {
  port?: string;
  open?: boolean;
  model?: string[];
}

/** `knobs playground`: serves the interactive page on 127.0.0.1 until interrupted. */
export function playgroundCommand(): Command {
  return new Command('playground')
    .description('open the interactive playground: a slider for every knob on a real distribution, in the browser, offline')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '4747')
    .option('--open', 'open the page in the default browser')
    .option('--model <id...>', 'more models to offer, by the ids `knobs generate --model` takes (the embedded model is always there)')
    .action(async (options: PlaygroundCommandOptions) => {
      const port = parseCount('--port', options.port, 4747, 0, 65535);
      const { defaultStaticDir, hasBuiltPage } = await import('../../playground/static.js');
      const { localCatalog } = await import('../../models/localModels.js');
      const { startPlayground } = await import('../../playground/server.js');
      const staticDir = defaultStaticDir();
      if (!hasBuiltPage(staticDir)) {
        throw new UsageError(`the playground page is not built (no ${staticDir}index.html): run \`npm run build\` (or \`npm run build:web\`) in the package first`);
      }
      const apiKey = process.env.OPENAI_API_KEY?.trim();
      let playground;
      try {
        playground = await startPlayground({
          port,
          staticDir,
          catalog: localCatalog({ ...buildReporter(), models: options.model ?? [] }),
          topLogprobs: apiKey ? (await import('../../playground/openai.js')).openaiTopLogprobs(apiKey, { baseURL: process.env.OPENAI_BASE_URL }) : undefined, // the SDK loads only then
          version: await packageVersion(),
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`--port = ${port} is in use: choose another port, or --port 0 for a free one`);
        }
        throw error;
      }
      process.stdout.write(`knobs playground: ${playground.url}\n`);
      process.stdout.write(`OpenAI top log-probabilities: ${apiKey ? 'on (OPENAI_API_KEY is set)' : 'off (set OPENAI_API_KEY to enable)'}\n`);
      process.stdout.write('Press Ctrl+C to stop.\n');
      if (options.open) await openBrowser(playground.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void playground.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** Opens a URL in the default browser (best effort: the URL is printed anyway). */
async function openBrowser(url: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`knobs: could not open a browser; open ${url} yourself\n`));
    child.unref();
  } catch {
    process.stderr.write(`knobs: could not open a browser; open ${url} yourself\n`);
  }
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
