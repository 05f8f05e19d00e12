// Property tests run with a fixed seed so that CI is reproducible; FC_SEED explores others.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261126), numRuns: Number(process.env.FC_RUNS ?? 200) });
