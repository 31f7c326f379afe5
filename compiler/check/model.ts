// What the check stage hands on: every expression resolved against what the document declares, every
// step bound to its OpenAPI operation. Plain data: no yaml nodes, no zod types.
import type { AsyncApiMessage, AsyncApiReply } from "../load/asyncapi.js";
import type { Located, OperationInfo } from "../load/openapi.js";
import type { Action, ParameterIr, Value, WorkflowRef, Cond } from "../ir/expressions.js";

export type { Action, Cond, Operand, ParameterIr, Ref, Value, WorkflowRef } from "../ir/expressions.js";
export { valueRefs } from "../ir/expressions.js";

/** A step's target: an operation, or a workflow with the inputs the step maps. */
export type StepTarget =
  | { readonly kind: "operation"; readonly operation: OperationInfo }
  | { readonly kind: "workflow"; readonly workflow: WorkflowRef; readonly inputs: ReadonlyArray<readonly [string, Value]> }
  | { readonly kind: "message"; readonly message: BoundMessage };

/** A message step as bound: its AsyncAPI channel and messages, and the values it sends or waits for. */
export interface BoundMessage {
  readonly source: string;
  readonly action: "send" | "receive";
  readonly channel: {
    readonly key: string;
    readonly address: string | null;
    readonly operation?: string;
    readonly servers: ReadonlyArray<{ readonly host: string; readonly protocol: string; readonly pathname?: string }>;
    /** Where the operation's reply goes, when it declares one: information for the transport. */
    readonly reply?: AsyncApiReply;
  };
  readonly messages: readonly AsyncApiMessage[];
  readonly parameters: ReadonlyArray<readonly [string, Value]>;
  /** Channel parameters a send step reads from the message it sends, by their AsyncAPI location. */
  readonly parameterLocations?: ReadonlyArray<readonly [string, string]>;
  readonly headers: ReadonlyArray<readonly [string, Value]>;
  readonly payload?: Value;
  readonly contentType: string;
  readonly correlation?: { readonly value: Value; readonly locations: readonly string[] };
}

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
  /** The step's own timeout in ms (Arazzo 1.1 `timeout`). */
  readonly timeoutMs?: number;
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
