// The FitPlan problems and step scripts now live in test/support/problems.ts (shared with the
// conformance suites); this module keeps the WebGPU kernel and split suites' imports working.

export { makeProblem, NO_REG, runHals, runMu, toCsr, type ProblemSpec, type Reg } from '../support/problems.js';
