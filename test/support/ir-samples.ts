// Hand-written lowered IR for the emitter tests: a workflow that uses every kind of exit.
import { parseJsonPath } from "../../compiler/expressions/jsonpath/index.js";
import type { Cond } from "../../compiler/ir/expressions.js";
import type { ExitIr, StepIr, WorkflowIr } from "../../compiler/ir/program.js";

export const status = (code: number): Cond => ({
  kind: "compare",
  operator: "==",
  left: { kind: "ref", ref: { kind: "statusCode" } },
  right: { kind: "literal", value: code },
});

export function query(text: string) {
  const parsed = parseJsonPath(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
}

export function request(id: string, method: string, path: string, exits: { onSuccess?: ExitIr[]; onFailure?: ExitIr[] }, operationId?: string): StepIr {
  return {
    id,
    call: { kind: "request", source: "api", method, path, parameters: [], ...(operationId !== undefined ? { operationId } : {}) },
    successCriteria: [status(200)],
    outputs: [],
    bodyReads: [],
    onSuccess: exits.onSuccess ?? [],
    onFailure: exits.onFailure ?? [{ when: [], to: { kind: "fail" } }],
  };
}

export function workflow(id: string, steps: StepIr[], extra: Partial<WorkflowIr> = {}): WorkflowIr {
  return {
    id,
    inputs: { type: { kind: "object", properties: [] }, secrets: [] },
    dependsOn: [],
    entry: steps[0]!.id,
    steps,
    outputs: [],
    transfersTo: [],
    flow: { reachable: steps.map((s) => s.id), mustHaveRun: {}, mayHaveRun: {}, trapped: [], detours: [] },
    ...extra,
  };
}

/** A job runner: poll loop, retry with a wait, retry through a step and a workflow, a transfer, a call. */
export const JOBS = workflow(
  "run-job",
  [
    request(
      "submit",
      "POST",
      "/jobs",
      {
        onSuccess: [{ when: [], to: { kind: "step", step: "poll", loop: false } }],
        onFailure: [
          { when: [status(503)], action: "busy", to: { kind: "retry", limit: 3, afterSeconds: 5 } },
          { when: [status(401)], action: "relogin", to: { kind: "retry", limit: 1, via: { kind: "step", step: "login" } } },
          { when: [status(409)], action: "reset", to: { kind: "retry", limit: 2, via: { kind: "workflow", workflow: { workflowId: "reset-queue" } } } },
          { when: [], to: { kind: "fail" } },
        ],
      },
      "submitJob",
    ),
    request("poll", "GET", "/jobs/{id}", {
      onSuccess: [
        {
          when: [{ kind: "jsonpath", context: { kind: "responseBody", path: [] }, query: query("$[?@.done == false]") }],
          action: "stillRunning",
          to: { kind: "step", step: "poll", loop: true },
        },
        { when: [status(200)], action: "handOver", to: { kind: "transfer", workflow: { workflowId: "archive", source: "archiver" } } },
        { when: [], to: { kind: "step", step: "notify", loop: false } },
      ],
    }),
    {
      id: "notify",
      call: { kind: "workflow", workflow: { workflowId: "send-mail" }, inputs: [] },
      successCriteria: [],
      outputs: [],
      bodyReads: [],
      onSuccess: [{ when: [], action: "finished", to: { kind: "end" } }],
      onFailure: [{ when: [], to: { kind: "fail" } }],
    },
    request("login", "POST", "/login", { onSuccess: [{ when: [], to: { kind: "end" } }] }),
  ],
  { dependsOn: [{ workflowId: "setup" }, { workflowId: "warm-up", source: "other" }] },
);
