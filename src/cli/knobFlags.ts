import type { Command } from 'commander';
import { samplerDefinitions } from '../samplers/registry.js';

/** A flag-style knob: `--top-p 0.9` sets `{ top_p: { p: 0.9 } }`. */
export interface KnobFlag {
  readonly flag: string;
  readonly sampler: string;
  readonly parameter: string;
  readonly description: string;
}

/**
 * Flag-style knobs, read from the samplers' definitions (`ParameterSpec.flag`), so a
 * sampler added to the registry brings its flag; applied in the engine profile's default
 * order when `--chain` is absent. This module loads the samplers: the CLI adds these flags
 * only to the command being run (`addKnobFlags`, from main's `preSubcommand` hook), so
 * `knobs --help` and the commands without chains never load them.
 *
 * @example
 * knobFlags().find((knob) => knob.flag === 'top-p'); // { sampler: 'top_p', parameter: 'p', ... }
 */
export function knobFlags(): KnobFlag[] {
  return samplerDefinitions().flatMap((definition) =>
    definition.parameters.flatMap((spec) => (spec.flag === undefined ? [] : [{ flag: spec.flag, sampler: definition.name, parameter: spec.name, description: `${definition.name}.${spec.name}: ${spec.hint}` }])),
  );
}

/** Adds every knob flag to a command that takes a chain (`addChainOptions` marks those). */
export function addKnobFlags(command: Command): Command {
  const known = new Set(command.options.map((option) => option.long));
  for (const knob of knobFlags()) {
    if (!known.has(`--${knob.flag}`)) command.option(`--${knob.flag} <value>`, `${knob.description} (without --chain)`);
  }
  return command;
}
