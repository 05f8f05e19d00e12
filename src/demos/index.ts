export { compareDemo, type CompareCase, type Truncation } from './compareDemo.js';
export { figureDemo, type FigurePanel } from './figureDemo.js';
export { gaussianLogits, interactionDemo, INTERACTION_TEMPERATURES, type InteractionSummary } from './interactionDemo.js';
export { completionsByTemperature, DEMO_PROMPTS, nucleusByTemperature, type CompletionsByTemperature, type NucleusByTemperature, type PromptNucleus, type TemperatureCompletion } from './modelDemos.js';
export { formatNumpyArray } from './numpyFormat.js';
export { softmaxDemo, type SoftmaxDemo } from './softmaxDemo.js';
export { SEED_TEMPERATURES, temperatureDemo, type TemperatureRow } from './temperatureDemo.js';
export { topPDemo, type TopPDemo } from './topPDemo.js';
