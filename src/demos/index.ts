/**
 * `creativity-knobs/demos` (Node): the seed's demonstrations as functions that return their
 * numbers (softmax, temperature, the temperature figure, top-p, top-k vs top-p, temperature ×
 * top-p) and the demonstrations on the embedded model; `knobs demo` and `knobs tour` print them.
 *
 * @example
 * import { temperatureDemo } from 'creativity-knobs/demos';
 * temperatureDemo().map((row) => row.entropy); // the seed's entropies, 0.04 ... 1.55
 *
 * @module creativity-knobs/demos
 */
export { compareDemo, type CompareCase, type Truncation } from './compareDemo.js';
export { figureDemo, type FigurePanel } from './figureDemo.js';
export { gaussianLogits, interactionDemo, INTERACTION_TEMPERATURES, type InteractionSummary } from './interactionDemo.js';
export { completionsByTemperature, DEMO_PROMPTS, nucleusByTemperature, type CompletionsByTemperature, type NucleusByTemperature, type PromptNucleus, type TemperatureCompletion } from './modelDemos.js';
export { formatNumpyArray } from './numpyFormat.js';
export { softmaxDemo, type SoftmaxDemo } from './softmaxDemo.js';
export { SEED_TEMPERATURES, temperatureDemo, type TemperatureRow } from './temperatureDemo.js';
export { topPDemo, type TopPDemo } from './topPDemo.js';
