/**
 * The audit: which sampling knobs a server, an API or a local runtime really applies, by
 * measurement (`knobs audit`). Node-only (HTTP clients, files); not part of the root entry.
 *
 * @example
 * import { auditTarget, openAICompatibleTarget } from 'creativity-knobs/audit';
 * const result = await auditTarget(await openAICompatibleTarget({ baseURL: 'http://127.0.0.1:8765/v1', server: 'knobs' }));
 */
export { auditTarget, DEFAULT_PROMPTS, parseKnobList, type AuditOptions, type ParsedKnob } from './auditTarget.js';
export type { ExpectationRules } from './expected.js';
export type { ModelSpace } from './modelSpace.js';
export type { Candidate, Position } from './position.js';
export type { RequestRunner } from './requests.js';
export { findPositions } from './findPositions.js';
export { auditSections, writeAuditReport, type AuditReportOptions } from './auditReport.js';
export { knobDefinition, knobNames, type KnobDefinition, type SettingContext } from './knobDefinitions.js';
export { planKnob, type KnobPlan, type PlanOptions, type Unplannable } from './plan.js';
export { poolCells, pooledFit, logLikelihoodRatio, type PooledCells, type PooledFit } from './pooledFit.js';
export { chiSquareCritical, drawsForPower, noncentralChiSquareSurvival, rejectionPower } from './power.js';
export { AuditStore, AuditStoreError, requestKey } from './store.js';
export { TARGET_KINDS, targetKind, type TargetKind } from './targetKinds.js';
export { anthropicTarget, openAICompatibleTarget, openAITarget, providerTarget, type ApiTargetOptions, type CompatibleTargetOptions, type ProviderTargetOptions } from './targets/providerTarget.js';
export { ggufNativeTarget, type GgufNativeOptions } from './targets/ggufNative.js';
export { transformersTarget, type TransformersTargetOptions } from './targets/transformersJs.js';
export type * from './types.js';
