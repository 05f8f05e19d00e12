/**
 * The experiment file `knobs experiment init` writes: YAML with a comment on every field,
 * that runs offline as written (the local provider on the embedded model), and shows the
 * other forms (chains, points, remote providers) commented out. `docs/experiments.md` is
 * the full reference.
 *
 * @example
 * parseExperimentSpec(parseYaml(STARTER_SPEC)).points.length; // 3 temperatures
 */
export const STARTER_SPEC = `# An experiment: every prompt x provider x setting point, n completions each.
# Run it:     npx knobs experiment run sweep.yaml
# Report:     npx knobs experiment report sweep.results.jsonl
# Reference:  docs/experiments.md (every field, its type and default)

name: temperature-sweep            # shown in tables and reports

# Prompts: plain strings (ids p1, p2, ...) or { id, prompt, system, n }.
prompts:
  - The robot looked at the sunset and felt
  - id: weather
    prompt: The weather today is

# Where requests go. "local" is the embedded model: offline, free, no key.
providers:
  - local
  # - openai:gpt-4o-mini                     # needs OPENAI_API_KEY
  # - anthropic:claude-haiku-4-5             # needs ANTHROPIC_API_KEY
  # - provider: openai-compatible            # vLLM, llama.cpp server, Ollama, knobs serve
  #   base_url: http://127.0.0.1:8765/v1
  #   server: knobs                          # knobs, vllm, llama.cpp, ollama, lmstudio, generic
  #   model: embedded
  #   concurrency: 4                         # requests in flight at once
  #   rate_limit: 60                         # request starts per minute

# Setting points. A grid is the Cartesian product of its axes (request fields).
grid:
  temperature: [0.3, 0.8, 1.2]
# Or one point per chain (compact or JSON form):
# chains:
#   - top_k=40,top_p=0.95,temperature=0.8
#   - [{"min_p": 0.1}, {"temperature": 1.5}]
# Or explicit points:
# points:
#   - settings: { temperature: 0.7, top_p: 0.9 }
#   - chain: top_k=20,temperature=0.5

settings: { top_p: 0.95 }          # added to every point (grid values win)
n: 3                               # completions per prompt x provider x point
max_tokens: 24                     # tokens per completion
seed: 1                            # completion i is sent seed + i (same_seed: true sends seed to all)
logprobs: true                     # ask for per-token log-probabilities where the provider has them
`;
