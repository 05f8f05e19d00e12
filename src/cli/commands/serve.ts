import { Command } from 'commander';
import { DEFAULT_MODEL, localCatalog, MODEL_ID_FORMS } from '../../models/localModels.js';
import { UsageError } from '../errors.js';
import { parseCount } from '../options.js';
import { buildReporter } from '../modelInput.js';

interface ServeOptions {
  host: string;
  port: string;
  model: string;
  engine: string;
  authKeyEnv?: string;
  bodyLimit: string;
  maxTokens: string;
  grace: string;
  quiet?: boolean;
}

/** Reads the server's key from the environment variable `--auth-key-env` names; never prints it. */
function authKey(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw new UsageError(`--auth-key-env = ${JSON.stringify(variable)} is not a variable name: expected letters, digits and _`);
  const key = process.env[variable];
  if (key === undefined || key.trim() === '') throw new UsageError(`--auth-key-env ${variable}: ${variable} is not set; export ${variable}=<a secret> first (the key is read from the environment only)`);
  return key.trim();
}

/** `knobs serve`: OpenAI- and Anthropic-compatible HTTP endpoints over the local models. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the local models over OpenAI-compatible (/v1/models, /v1/completions, /v1/chat/completions) and Anthropic-compatible (/v1/messages) HTTP endpoints')
    .option('--host <address>', 'address to listen on; anything but loopback needs --auth-key-env', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8765')
    .option('--model <id>', `model to serve: ${MODEL_ID_FORMS.join(', ')}`, DEFAULT_MODEL)
    .option('--engine <name>', 'engine profile for requests that name none (the profiles of `knobs engines`)', 'knobs')
    .option('--auth-key-env <NAME>', 'require the key held in environment variable NAME on every request (Authorization: Bearer or x-api-key)')
    .option('--body-limit <bytes>', 'largest request body', '1048576')
    .option('--max-tokens <n>', 'largest max_tokens a request may ask for', '4096')
    .option('--grace <ms>', 'on SIGINT/SIGTERM, how long requests in flight may finish', '5000')
    .option('--quiet', 'do not log requests on stderr')
    .addHelpText(
      'after',
      '\nChat messages are rendered as plain text for the n-gram models: "System: ...\\n\\nUser: ...\\n\\nAssistant:".\n' +
        'Every knob can be sent as an extra field (top_k, min_p, typical_p, repetition_penalty, ...) or as a "chain" field.\n' +
        'Example: knobs serve --port 8765 & curl -s 127.0.0.1:8765/v1/chat/completions -d \'{"model":"embedded","messages":[{"role":"user","content":"Hi"}],"top_k":40,"seed":1}\'',
    )
    .action(async (options: ServeOptions) => {
      const port = parseCount('--port', options.port, 8765, 0, 65535);
      const bodyLimit = parseCount('--body-limit', options.bodyLimit, 1048576, 1024, 1024 * 1024 * 1024);
      const maxTokens = parseCount('--max-tokens', options.maxTokens, 4096, 1, 1_000_000);
      const grace = parseCount('--grace', options.grace, 5000, 0, 600_000);
      const key = authKey(options.authKeyEnv);
      const { checkBindAddress, createKnobsServer } = await import('../../server/server.js');
      const { runUntilSignal } = await import('../../server/runUntilSignal.js');
      checkBindAddress(options.host, key !== undefined);
      // The --model one is opened before listening (so the first request is not slow) and listed
      // under its name and its id; the embedded models open on first use; no other GGUF file opens.
      const catalog = localCatalog({ ...buildReporter(), models: [options.model] });
      const main = await catalog.open(options.model);
      const names = [...new Set([options.model, main.id])];
      const serve = createKnobsServer({
        catalog,
        models: names,
        host: options.host,
        port,
        engine: options.engine,
        bodyLimitBytes: bodyLimit,
        maxTokensLimit: maxTokens,
        ...(key !== undefined ? { authKey: key } : {}),
        ...(options.quiet ? {} : { log: (line: string) => process.stderr.write(`knobs serve: ${line}\n`) }),
      });
      const { url } = await serve.listen().catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`--port ${port} is in use on ${options.host}: choose another port, or --port 0 for a free one`);
        if (error.code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${options.host} is not an address of this machine`);
        throw error;
      });
      process.stderr.write(
        `knobs serve: model ${names.join(' = ')}, engine ${options.engine}${key !== undefined ? `, key required (from ${options.authKeyEnv})` : ''}\n` +
          `knobs serve: OpenAI base URL ${url}/v1, Anthropic base URL ${url}; Ctrl-C stops\n`,
      );
      process.stdout.write(`${url}\n`);
      await runUntilSignal(serve, { graceMs: grace, onSignal: (signal) => process.stderr.write(`knobs serve: ${signal}: stopping\n`) });
      process.stderr.write('knobs serve: stopped\n');
    });
}
