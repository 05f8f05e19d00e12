import { Command } from 'commander';

/** Flags of `knobs audit`. */
export interface AuditFlags {
  baseUrl?: string;
  server?: string;
  model?: string;
  provider?: string;
  sampler?: string;
  apiKeyEnv?: string;
  knobs?: string;
  prompt: string[];
  alpha?: string;
  power?: string;
  minN?: string;
  maxN?: string;
  seed?: string;
  concurrency?: string;
  rateLimit?: string;
  out?: string;
  resume?: boolean;
  overwrite?: boolean;
  yes?: boolean;
  json?: boolean;
  report?: string;
  png?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `knobs audit`: which sampling knobs a server, an API or a local runtime really applies, by
 * measurement. Registered with light imports; the audit itself loads when the command runs.
 */
export function auditCommand(): Command {
  return new Command('audit')
    .description('measure which sampling knobs a target really applies: seeded one-token draws per knob, tested against the distribution expected with the knob applied and with it ignored')
    .option('--base-url <url>', 'an OpenAI-compatible server, e.g. http://127.0.0.1:8765/v1 (knobs serve, vLLM, llama.cpp, Ollama, SGLang, LM Studio)')
    .option('--server <kind>', 'kind of server: knobs, vllm, llama.cpp, ollama, sglang, lmstudio, generic (its knobs and engine profile)', 'generic')
    .option('--model <name>', 'model name; gguf:PATH with --sampler native (node-llama-cpp\'s own sampler); transformers:DIR (transformers.js generate())')
    .option('--provider <name>', 'openai or anthropic (their APIs, keys from the environment); default: the server at --base-url')
    .option('--sampler <name>', 'native: with --model gguf:PATH, audit node-llama-cpp\'s own sampling')
    .option('--api-key-env <name>', 'environment variable that holds the API key (never the key itself)')
    .option('--knobs <list>', 'knobs to audit, comma-separated; name=value fixes the setting (top_p=0.9); default: every knob the target takes')
    .option('--prompt <text>', 'a prompt to look for test positions in (repeatable)', collect, [])
    .option('--alpha <p>', 'significance level of each test', '1e-4')
    .option('--power <p>', 'power to reject "ignored" when applied, and "applied" when ignored', '0.999')
    .option('--min-n <count>', 'fewest draws per knob', '100')
    .option('--max-n <count>', 'most draws per knob', '4000')
    .option('--seed <n>', 'seed of the audit (request j of knob i gets seed + 1000 + 10000 i + j)', '0')
    .option('--concurrency <count>', 'requests in flight at once')
    .option('--rate-limit <rpm>', 'request starts per minute')
    .option('--out <file>', 'keep every request and answer in this JSONL file (with --resume, an audit stopped midway goes on)')
    .option('--resume', 'reuse the answers in --out')
    .option('--overwrite', 'start --out again from empty')
    .option('-y, --yes', 'do not ask before sending more than 100 paid requests')
    .option('--json', 'print the result as JSON: { target, knobs: [{ knob, setting, verdict, p_value, n, evidence }], checks }')
    .option('--report <dir>', 'also write an HTML report with one chart per knob (expected vs observed)')
    .option('--no-png', 'with --report, skip the PNG copies of the figures')
    .addHelpText(
      'after',
      '\nVerdicts: applied, ignored (accepted and silently dropped), different (fits neither: the settings that do fit are named),\n' +
        'refused (an error answer), untestable (with the reason). Also checked: is the seed honoured, is temperature 0\n' +
        'deterministic and greedy, do draws follow the returned log-probabilities, are those before or after the knobs.\n' +
        'Example: knobs serve --port 8765 & knobs audit --base-url http://127.0.0.1:8765/v1 --server knobs',
    )
    .action(async (flags: AuditFlags) => {
      const { runAuditCommand } = await import('../auditCommand.js');
      await runAuditCommand(flags);
    });
}
