// Type-level assertions on the workflow-results fixture: `$workflows.<id>` reads typed from the workflow that
// ran (its outputs, the inputs it was called with), `$statusCode` of a step that calls a workflow a number.
import type { StockReportOutputs, StockReportSteps } from "../../out/cases/workflow-results.arazzo.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type Token = Assert<Equal<StockReportOutputs["token"], string>>;
export type CalledWith = Assert<Equal<StockReportOutputs["calledWith"], string>>;
export type FirstLevel = Assert<Equal<StockReportOutputs["firstLevel"], number | undefined>>;
export type Status = Assert<Equal<StockReportSteps["check"]["status"], number>>;

import type { StockTwiceOutputs } from "../../out/cases/workflow-results.arazzo.js";
import type { WorkflowError } from "../../out/cases/runtime.js";

export type ErrorOutputs = Assert<Equal<WorkflowError<StockTwiceOutputs>["outputs"], Partial<StockTwiceOutputs>>>;
