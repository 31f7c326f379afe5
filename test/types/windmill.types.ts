// Type-level assertions on the generated Windmill clients, checked by the TypeScript compiler
// (test/typecheck.test.ts runs tsc on this folder). A wrong assertion is a compile error.
import type {
  RunScriptAndCleanupJobInputs,
  RunScriptAndCleanupJobOutputs,
  RunScriptAndCleanupJobSteps,
} from "../../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
import { runScriptWithCancelGuard } from "../../out/windmill/windmill-run-script-with-timeout-cancel-workflow.js";
import type {
  RunScriptWithCancelGuardInputs,
  RunScriptWithCancelGuardOutputs,
  RunScriptWithCancelGuardSteps,
} from "../../out/windmill/windmill-run-script-with-timeout-cancel-workflow.js";

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

// getJob's `type`, read as the inspectJob step's jobType output: the discriminator's two values.
export type JobType = Assert<Equal<RunScriptWithCancelGuardSteps["inspectJob"]["jobType"], "CompletedJob" | "QueuedJob">>;
// The job id comes from a text/plain response whose schema is a string.
export type JobId = Assert<Equal<RunScriptWithCancelGuardOutputs["jobId"], string>>;
export type CleanupJobId = Assert<Equal<RunScriptAndCleanupJobOutputs["jobId"], string>>;
// In the cancel guard only one of readCompleted and cancelJob runs: both outputs are optional.
export type ResultOptional = Assert<Equal<Pick<RunScriptWithCancelGuardOutputs, "result">, { result?: unknown }>>;
export type CancelOptional = Assert<Equal<Pick<RunScriptWithCancelGuardOutputs, "cancelConfirmation">, { cancelConfirmation?: string }>>;
// In the cleanup workflow every step runs on every path to the end: success is a required boolean.
export type Success = Assert<Equal<Pick<RunScriptAndCleanupJobOutputs, "success">, { success: boolean }>>;
export type Deleted = Assert<Equal<RunScriptAndCleanupJobOutputs["deletedId"], string>>;
// get_result_maybe's `completed` is required; `success` is not, so it may be absent.
export type Completed = Assert<Equal<RunScriptAndCleanupJobSteps["pollResult"]["completed"], boolean>>;
export type MaybeSuccess = Assert<Equal<RunScriptAndCleanupJobSteps["pollResult"]["success"], boolean | undefined>>;
// Inputs from the workflow's inputs schema.
export type Inputs = Assert<
  Equal<
    RunScriptWithCancelGuardInputs,
    { token: string; workspace: string; path: string; args: Record<string, unknown>; cancelReason: string }
  >
>;
export type CleanupInputs = Assert<Equal<RunScriptAndCleanupJobInputs["args"], Record<string, unknown>>>;

export async function wrongInputs(): Promise<void> {
  // @ts-expect-error workspace must be a string
  await runScriptWithCancelGuard({ token: "t", workspace: 1, path: "p", args: {}, cancelReason: "r" });
  // @ts-expect-error cancelReason is required
  await runScriptWithCancelGuard({ token: "t", workspace: "w", path: "p", args: {} });
  // @ts-expect-error a misspelt member is caught (the schema declares no additional properties)
  await runScriptWithCancelGuard({ token: "t", workspace: "w", path: "p", args: {}, cancelReason: "r", cancelreason: "r" });
}
