// What the check stage hands on: every expression resolved against what the document declares, every
// step bound to its OpenAPI operation. Plain data: no yaml nodes, no zod types.
import type { Located, OperationInfo } from "../load/openapi.js";
import type { Action, ParameterIr, Value, WorkflowRef, Cond } from "../ir/expressions.js";

export type { Action, Cond, Operand, ParameterIr, Ref, Value, WorkflowRef } from "../ir/expressions.js";
export { valueRefs } from "../ir/expressions.js";

/** A step's target: an operation, or a workflow with the inputs the step maps. */
export type StepTarget =
  | { readonly kind: "operation"; readonly operation: OperationInfo }
  | { readonly kind: "workflow"; readonly workflow: WorkflowRef; readonly inputs: ReadonlyArray<readonly [string, Value]> };

/** A step-level dependsOn entry: a step of this workflow, or (`workflow`) of another one. */
export interface StepDependencyRef {
  readonly workflow?: WorkflowRef;
  readonly stepId: string;
}

export interface BoundStep {
  readonly stepId: string;
  /** Steps that must have succeeded before this one starts (Arazzo 1.1 step dependsOn); absent when none. */
  readonly dependsOn?: readonly StepDependencyRef[];
  readonly description?: string;
  readonly target: StepTarget;
  /** The request parameters (operation steps). */
  readonly parameters: readonly ParameterIr[];
  readonly body?: { readonly contentType: string; readonly value: Value };
  readonly successCriteria: readonly Cond[];
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly value: Value }>;
  readonly onSuccess: readonly Action[];
  readonly onFailure: readonly Action[];
  /** Statuses the success criteria admit (`$statusCode == N`), used to pick response schemas. */
  readonly admittedStatuses?: readonly number[];
}

export interface BoundWorkflow {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  /** The inputs JSON Schema with the file it lives in, $refs not yet resolved. */
  readonly inputs?: Located;
  readonly steps: readonly BoundStep[];
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly value: Value }>;
  /** Workflows to complete first (dependsOn), in order. */
  readonly dependsOn: readonly WorkflowRef[];
}

export interface BoundDocument {
  /** Path of the Arazzo document as shown to the user. */
  readonly displayPath: string;
  readonly absolutePath: string;
  readonly title: string;
  readonly workflows: readonly BoundWorkflow[];
}
