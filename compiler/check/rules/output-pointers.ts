import type { Diagnostic } from "../../diagnostics.js";
import type { OperationInfo } from "../../load/openapi.js";
import { escapePointerToken } from "../../load/pointer.js";
import type { CheckedStep, CheckedWorkflow } from "../lower-workflow.js";
import type { BoundStep, Ref } from "../model.js";
import { diagnosticAt, type Read } from "../report.js";
import { checkBodyPointer, membersAt } from "../responses.js";
import { closest, operationLabel } from "../targets.js";
import type { Rule } from "./rule.js";

/** Where a value read through outputs comes from: a path in the response body of an operation step. */
interface BodyOrigin {
  readonly step: BoundStep;
  readonly operation: OperationInfo;
  /** The path in the body that the output itself reads (the read's own path follows it). */
  readonly base: readonly string[];
}

function pointerOf(path: readonly string[]): string {
  return "/" + path.map(escapePointerToken).join("/");
}

/**
 * Follows an output read back to the response body it holds: a step output that reads `$response.body#/p`,
 * or one that reads another step's output, the output of the workflow the step calls, or a workflow's
 * output, in turn. Only this document's workflows are followed; anything else (an input, a header, a
 * template, a cycle) has no body origin.
 */
function bodyOrigin(
  ref: Ref,
  workflow: CheckedWorkflow,
  step: CheckedStep | undefined,
  byId: ReadonlyMap<string, CheckedWorkflow>,
  seen: Set<string>,
): BodyOrigin | undefined {
  const follow = (value: { kind: string; ref?: Ref } | undefined, owner: CheckedWorkflow, at: CheckedStep | undefined, key: string) => {
    if (!value || value.kind !== "ref" || !value.ref || seen.has(key)) return undefined;
    seen.add(key);
    return bodyOrigin(value.ref, owner, at, byId, seen);
  };
  const prefixed = (origin: BodyOrigin | undefined, path: readonly string[]): BodyOrigin | undefined =>
    origin && { ...origin, base: [...origin.base, ...path] };
  switch (ref.kind) {
    case "responseBody":
      return step?.bound && step.bound.target.kind === "operation"
        ? { step: step.bound, operation: step.bound.target.operation, base: ref.path }
        : undefined;
    case "stepOutput": {
      const target = workflow.steps.find((s) => s.symbol === workflow.symbol.stepsById.get(ref.stepId));
      const value = target?.bound?.outputs.find((o) => o.name === ref.name)?.value;
      return prefixed(follow(value, workflow, target, `${workflow.symbol.workflowId}\u0000${ref.stepId}\u0000${ref.name}`), ref.path);
    }
    case "callOutput": {
      const called = step?.called;
      if (!called || called.ref.source !== undefined) return undefined;
      return prefixed(workflowOutput(called.ref.workflowId, ref.name), ref.path);
    }
    case "workflowOutput": {
      // Only a dependency of this document (dependsOn written as the plain workflowId).
      if (!(workflow.symbol.workflow.dependsOn ?? []).includes(ref.workflowId)) return undefined;
      return prefixed(workflowOutput(ref.workflowId, ref.name), ref.path);
    }
    default:
      return undefined;
  }
  function workflowOutput(workflowId: string, name: string): BodyOrigin | undefined {
    const other = byId.get(workflowId);
    const value = other?.outputs.find((o) => o.name === name)?.value;
    return other && follow(value, other, undefined, `${workflowId}\u0000\u0000${name}`);
  }
}

/**
 * A JSON pointer into a step or workflow output (`$steps.x.outputs.y#/p`, `$workflows.w.outputs.y#/p`,
 * `$outputs.y#/p`) can exist in the schema of that output: the schema of the response body member the output
 * reads, found by following the output back to it, and checked as `$response.body#/p` is (rules/
 * response-pointers). A pointer no schema allows is most likely a typo (a warning), with the closest member
 * the schema declares.
 */
export const outputPointers: Rule = {
  name: "output-pointers",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    const told = new Set<string>();
    const byId = new Map<string, CheckedWorkflow>();
    for (const workflow of context.workflows) if (!byId.has(workflow.symbol.workflowId)) byId.set(workflow.symbol.workflowId, workflow);
    const check = (read: Read, workflow: CheckedWorkflow, step: CheckedStep | undefined): void => {
      const { ref } = read;
      if ((ref.kind !== "stepOutput" && ref.kind !== "workflowOutput" && ref.kind !== "callOutput") || ref.path.length === 0) return;
      const key = `${read.at.pointer}\u0000${read.at.span?.start ?? ""}`;
      if (told.has(key)) return;
      const origin = bodyOrigin({ ...ref, path: [] }, workflow, step, byId, new Set());
      if (!origin) return;
      const checked = checkBodyPointer(context.symbols.store, origin.step, [...origin.base, ...ref.path]);
      // A broken $ref of the description is told where $response.body reads it (rules/response-pointers).
      if (!checked || checked.presence !== "absent") return;
      told.add(key);
      // The deepest prefix of the read that exists says which member was meant.
      let known = 0;
      while (known < ref.path.length - 1) {
        const prefix = checkBodyPointer(context.symbols.store, origin.step, [...origin.base, ...ref.path.slice(0, known + 1)]);
        if (prefix?.presence === "absent") break;
        known++;
      }
      const members = membersAt(context.symbols.store, checked.schemas, [...origin.base, ...ref.path.slice(0, known)]);
      const guess = closest(ref.path[known]!, members);
      // A member read on an array (the common slip: `items.id` for the first item's id).
      const item = [...ref.path.slice(0, known), "0", ...ref.path.slice(known)];
      const inArray =
        guess === undefined && checkBodyPointer(context.symbols.store, origin.step, [...origin.base, ...item])?.presence === "present";
      const output =
        ref.kind === "stepOutput"
          ? `Output '${ref.name}' of step '${ref.stepId}'`
          : ref.kind === "workflowOutput"
            ? `Output '${ref.name}' of workflow '${ref.workflowId}'`
            : `Output '${ref.name}' of the workflow called`;
      const operation = operationLabel(origin.operation);
      const read_ = origin.base.length > 0 ? `${pointerOf(origin.base)} of the response body` : "the response body";
      const args = {
        output,
        pointer: pointerOf(ref.path),
        origin: `it holds ${read_} of ${operation}, status ${checked.responses.map((r) => r.status).join(", ")}`,
        suggestion:
          guess !== undefined
            ? `; did you mean '${pointerOf([...ref.path.slice(0, known), guess])}'?`
            : inArray
              ? `; it is an array: did you mean '${pointerOf(item)}' (the first item's)?`
              : "",
      };
      diagnostics.push(diagnosticAt(context.symbols.file, "AZC4047", args, read.at));
    };
    for (const workflow of context.workflows) {
      for (const step of workflow.steps) for (const read of [...step.reads, ...step.inheritedReads]) check(read, workflow, step);
      for (const read of workflow.outputReads) check(read, workflow, undefined);
    }
    return diagnostics;
  },
};
