// Resolving parsed runtime expressions against what the document declares (inputs, steps and their
// outputs) and against where they are written (reference §3.3: `$response` exists only after the call).
import type { RuntimeExpression } from "../expressions/runtime-expression.js";
import { parseNavigation } from "../expressions/runtime-expression.js";
import type { DiagnosticCode } from "../diagnostics.js";
import { escapePointerToken } from "../load/pointer.js";
import type { Ref, WorkflowRef } from "./model.js";

/** Where an expression is written; decides which expressions are available. */
export type Place = "parameter" | "requestBody" | "criterion" | "stepOutput" | "workflowOutput";

export const PLACE_NAMES: Record<Place, string> = {
  parameter: "a parameter value (the request has not been sent yet)",
  requestBody: "a request body (the request has not been sent yet)",
  criterion: "a criterion",
  stepOutput: "step outputs",
  workflowOutput: "workflow outputs (they are evaluated after the last step)",
};

export interface Scope {
  /** Declared input names; undefined when the workflow declares no inputs schema properties. */
  readonly inputNames: ReadonlySet<string> | undefined;
  /** The inputs schema could not be read (reported): any input name is taken on trust. */
  readonly anyInput?: boolean;
  /** Output names by stepId, for every step of the workflow. */
  readonly stepOutputs: ReadonlyMap<string, ReadonlySet<string>>;
  readonly workflowId: string;
  /** The step the expression is written in (none for workflow outputs). */
  readonly stepId?: string;
  readonly place: Place;
  /** Simple conditions may navigate into values with `.member` and `[n]`. */
  readonly allowNavigation: boolean;
  /** The step calls a workflow: there is no HTTP response to read. */
  readonly noResponse?: boolean;
  /** The step sends or receives a message (AsyncAPI): `$message` is available, HTTP values are not. */
  readonly messageStep?: boolean;
  /** Output names of the workflow the current step calls (for `$outputs`), when it calls one. */
  readonly callOutputs?: ReadonlySet<string>;
  /**
   * Lowering a workflow-level action, shared by steps that may or may not call workflows: `$outputs.<name>` is
   * taken on trust here, and checked against each step that inherits the action.
   */
  readonly anyCallOutput?: boolean;
  /** The HTTP method of the operation the step sends (upper case), for `$method` before the request. */
  readonly method?: string;
  /** Where the parameter being lowered goes (`in`): `$url` cannot be a part of the URL. */
  readonly parameterIn?: string;
  /** The workflows `$workflows.<id>` may name: those of this document, and those this workflow runs. */
  readonly workflows?: ReadonlyMap<string, WorkflowInScope>;
  /** The workflowId the current step calls: after the call, `$workflows.<it>.outputs` is its `$outputs`. */
  readonly calls?: string;
}

/** A workflow as `$workflows.<id>` sees it. */
export interface WorkflowInScope {
  readonly ref: WorkflowRef;
  readonly outputs: ReadonlySet<string>;
  /** Declared input names; undefined when its inputs schema declares none (or cannot be read). */
  readonly inputs: ReadonlySet<string> | undefined;
  /** Some dependency, step or retry of this workflow runs it (whether before a given read is checked later). */
  readonly runs: boolean;
}

/** A form with one clear meaning that the grammar does not allow: compiled, and reported with the standard form. */
export interface SloppyRead {
  readonly code: DiagnosticCode;
  readonly args: Record<string, string>;
}

export type Resolution =
  { ok: true; ref: Ref; sloppy?: readonly SloppyRead[] } | { ok: false; code: DiagnosticCode; args: Record<string, string> };

/** The standard text of what a ref reads: `$steps.s.outputs.o#/a/0/b`. */
export function refText(ref: Ref): string {
  const pointer = (path: readonly string[]): string => (path.length > 0 ? "#/" + path.map(escapePointerToken).join("/") : "");
  switch (ref.kind) {
    case "input":
      return `$inputs.${ref.name}${pointer(ref.path)}`;
    case "stepOutput":
      return `$steps.${ref.stepId}.outputs.${ref.name}${pointer(ref.path)}`;
    case "callOutput":
      return `$outputs.${ref.name}${pointer(ref.path)}`;
    case "workflowOutput":
      return `$workflows.${ref.workflowId}.outputs.${ref.name}${pointer(ref.path)}`;
    case "workflowInput":
      return `$workflows.${ref.workflowId}.inputs.${ref.name}${pointer(ref.path)}`;
    case "responseBody":
      return `$response.body${pointer(ref.path)}`;
    case "responseHeader":
      return `$response.header.${ref.name}`;
    case "messageHeader":
      return `$message.header.${ref.name}`;
    case "messagePayload":
      return `$message.payload${pointer(ref.path)}`;
    case "statusCode":
    case "url":
    case "method":
      return `$${ref.kind}`;
  }
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length > 0 ? all.join(", ") : "(none declared)";
}

/** The longest declared name that `rest` starts with, followed by the end, `.`, `[`. */
export function longestMatch(rest: string, names: Iterable<string>): { name: string; remainder: string } | undefined {
  let best: string | undefined;
  for (const name of names) {
    if ((rest === name || rest.startsWith(name + ".") || rest.startsWith(name + "[")) && (best === undefined || name.length > best.length))
      best = name;
  }
  return best === undefined ? undefined : { name: best, remainder: rest.slice(best.length) };
}

export const NO_RESPONSE_HINT = "A step that calls a workflow has no HTTP response; read the workflow's outputs with $outputs.<name>.";
export const MESSAGE_STEP_HINT =
  "A step that sends or receives a message has no HTTP request or response; read its message with $message.header.<name> or $message.payload#/<pointer>.";
export const OUTPUTS_OUTSIDE_CALL =
  "$outputs is the outputs of the workflow a step calls: use it in that step's criteria, outputs and actions";

/**
 * `$url` in a request of an operation step: the URL the request is sent to, which the runtime builds before the
 * body and the header and cookie values (AZC3071). A path or query value is a part of that URL (AZC3070).
 */
function urlBeforeRequest(scope: Scope): Resolution {
  const location = scope.place === "parameter" ? scope.parameterIn : undefined;
  if (location === "path" || location === "query" || location === "querystring") return { ok: false, code: "AZC3070", args: { location } };
  return { ok: true, ref: { kind: "url" }, sloppy: [{ code: "AZC3071", args: { place: PLACE_NAMES[scope.place] } }] };
}

export function resolveExpression(expression: RuntimeExpression, text: string, scope: Scope): Resolution {
  const unavailable = (hint: string): Resolution => ({
    ok: false,
    code: "AZC3009",
    args: { expression: text, place: PLACE_NAMES[scope.place], hint },
  });
  const invalid = (reason: string): Resolution => ({ ok: false, code: "AZC3001", args: { text, reason } });
  const afterCall = scope.place === "criterion" || scope.place === "stepOutput";

  // Navigation outside a simple condition (`$inputs.obj.f`) means the JSON pointer `#/f`: compiled so, and reported.
  let navigated = false;
  const navigate = (remainder: string, pointer: readonly string[] | undefined): string[] | Resolution => {
    const navigation = parseNavigation(remainder);
    if (navigation === undefined) {
      // `items[*].id`, `items[].id`, `items[?(@.x)]`, `items[n].id`: several values, or no index in particular.
      const selector = /\[\]|\[[^\]\d][^\]]*\]/.exec(remainder)?.[0];
      if (selector !== undefined)
        return invalid(
          `'${selector}' in '${remainder}' selects several values or no index in particular; a runtime expression reads one value: pick one with a JSON pointer (#/items/0/id), or test them in a jsonpath criterion`,
        );
      return invalid(`'${remainder}' is neither a declared name nor .member/[index] navigation`);
    }
    if (navigation.length > 0 && !scope.allowNavigation) navigated = true;
    return [...navigation.map(String), ...(pointer ?? [])];
  };
  // `standard`: the standard form of what was written, when it differs from the ref's own text.
  const resolved = (ref: Ref, standard = refText(ref)): Resolution => {
    const sloppy: SloppyRead[] = [];
    if (navigated) sloppy.push({ code: "AZC3020", args: { text, suggestion: standard } });
    for (const form of "sloppy" in expression ? (expression.sloppy ?? []) : []) {
      if (form === "pointer-without-slash") sloppy.push({ code: "AZC3022", args: { text, suggestion: standard } });
      else sloppy.push({ code: "AZC3023", args: { text, suggestion: standard } });
    }
    return sloppy.length > 0 ? { ok: true, ref, sloppy } : { ok: true, ref };
  };

  switch (expression.kind) {
    case "statusCode":
    case "url":
    case "method":
      if (scope.messageStep) return unavailable(MESSAGE_STEP_HINT);
      // In a step that calls a workflow, $statusCode is that of the last response the workflow received.
      if (scope.noResponse && expression.kind !== "statusCode") return unavailable(NO_RESPONSE_HINT);
      if (!afterCall && expression.kind === "url" && scope.method !== undefined && (scope.place === "parameter" || scope.place === "requestBody"))
        return urlBeforeRequest(scope);
      if (!afterCall) return unavailable("Read response values in successCriteria, action criteria or step outputs.");
      return resolved({ kind: expression.kind });
    case "request":
    case "response": {
      if (scope.messageStep) return unavailable(MESSAGE_STEP_HINT);
      if (scope.noResponse) return unavailable(NO_RESPONSE_HINT);
      if (!afterCall)
        return unavailable(
          `Read ${expression.kind} values in successCriteria, action criteria or step outputs${scope.place === "workflowOutput" ? "; expose them through a step output" : ""}.`,
        );
      if (expression.kind === "request") {
        return {
          ok: false,
          code: "AZC4006",
          args: {
            feature: `${text} (values of the request sent)`,
            hint: "Read the same value where the request takes it from, e.g. $inputs.<name>.",
          },
        };
      }
      if (expression.part === "body") {
        const path = navigate(expression.navigation, expression.pointer);
        if (!Array.isArray(path)) return path;
        return resolved({ kind: "responseBody", path });
      }
      if (expression.part !== "header") return invalid(`$response.${expression.part} does not exist; a response has header and body`);
      return resolved({ kind: "responseHeader", name: expression.name });
    }
    case "inputs": {
      const names = scope.inputNames ?? new Set<string>();
      const match =
        longestMatch(expression.rest, names) ??
        (scope.anyInput
          ? { name: expression.rest.split(/[.[]/, 1)[0]!, remainder: expression.rest.slice(expression.rest.split(/[.[]/, 1)[0]!.length) }
          : undefined);
      if (!match) return { ok: false, code: "AZC4005", args: { name: expression.rest, names: list(names) } };
      const path = navigate(match.remainder, expression.pointer);
      if (!Array.isArray(path)) return path;
      return resolved({ kind: "input", name: match.name, path });
    }
    case "steps": {
      const outputs = scope.stepOutputs.get(expression.id);
      if (!outputs)
        return {
          ok: false,
          code: "AZC4003",
          args: { stepId: expression.id, workflowId: scope.workflowId, names: list(scope.stepOutputs.keys()) },
        };
      if (expression.field !== "outputs") return invalid(`a step exposes only its outputs: $steps.${expression.id}.outputs.<name>`);
      const match = longestMatch(expression.rest, outputs);
      if (!match)
        return {
          ok: false,
          code: "AZC4004",
          args: { stepId: expression.id, output: expression.rest, names: list(outputs), sent: "", alternative: "" },
        };
      const path = navigate(match.remainder, expression.pointer);
      if (!Array.isArray(path)) return path;
      return resolved({ kind: "stepOutput", stepId: expression.id, name: match.name, path });
    }
    case "outputs": {
      if (scope.anyCallOutput && afterCall) {
        const name = expression.rest.split(/[.[]/, 1)[0]!;
        const path = navigate(expression.rest.slice(name.length), expression.pointer);
        if (!Array.isArray(path)) return path;
        return resolved({ kind: "callOutput", name, path });
      }
      if (scope.callOutputs === undefined || !afterCall) {
        return invalid(OUTPUTS_OUTSIDE_CALL);
      }
      const match = longestMatch(expression.rest, scope.callOutputs);
      if (!match) return invalid(`the called workflow has no output '${expression.rest}' (its outputs: ${list(scope.callOutputs)})`);
      const path = navigate(match.remainder, expression.pointer);
      if (!Array.isArray(path)) return path;
      return resolved({ kind: "callOutput", name: match.name, path });
    }
    case "workflows": {
      const workflow = scope.workflows?.get(expression.id);
      const names = [...(scope.workflows?.keys() ?? [])];
      if (!workflow) return { ok: false, code: "AZC4014", args: { workflowId: expression.id, names: list(names) } };
      if (!workflow.runs) {
        const reason = `neither dependsOn nor a step or retry of workflow '${scope.workflowId}' runs it`;
        return { ok: false, code: "AZC4030", args: { expression: text, workflowId: expression.id, reason } };
      }
      if (expression.field !== "outputs" && expression.field !== "inputs")
        return invalid(`a workflow exposes its inputs and outputs: $workflows.${expression.id}.outputs.<name>`);
      if (expression.field === "outputs") {
        const match = longestMatch(expression.rest, workflow.outputs);
        if (!match)
          return invalid(`workflow '${expression.id}' has no output '${expression.rest}' (its outputs: ${list(workflow.outputs)})`);
        const path = navigate(match.remainder, expression.pointer);
        if (!Array.isArray(path)) return path;
        // Right after its call, in the calling step, the workflow's outputs are the step's $outputs.
        if (scope.calls === expression.id && afterCall)
          return resolved(
            { kind: "callOutput", name: match.name, path },
            refText({ kind: "workflowOutput", workflowId: expression.id, name: match.name, path }),
          );
        const source = workflow.ref.source !== undefined ? { source: workflow.ref.source } : {};
        return resolved({ kind: "workflowOutput", workflowId: expression.id, ...source, name: match.name, path });
      }
      const match =
        longestMatch(expression.rest, workflow.inputs ?? new Set<string>()) ??
        (workflow.inputs === undefined
          ? { name: expression.rest.split(/[.[]/, 1)[0]!, remainder: expression.rest.slice(expression.rest.split(/[.[]/, 1)[0]!.length) }
          : undefined);
      if (!match)
        return invalid(`workflow '${expression.id}' has no input '${expression.rest}' (its inputs: ${list(workflow.inputs ?? [])})`);
      const path = navigate(match.remainder, expression.pointer);
      if (!Array.isArray(path)) return path;
      const source = workflow.ref.source !== undefined ? { source: workflow.ref.source } : {};
      return resolved({ kind: "workflowInput", workflowId: expression.id, ...source, name: match.name, path });
    }
    case "sourceDescriptions":
    case "components":
      return invalid(`$${expression.kind} names a document part, not a value`);
    case "message": {
      if (!scope.messageStep)
        return unavailable(
          "$message is the message of a step that sends or receives one (an AsyncAPI operation or channel); expose what it reads as that step's output.",
        );
      if (!afterCall) return unavailable("Read the message in the step's successCriteria, action criteria or outputs.");
      if (expression.part === "header") return resolved({ kind: "messageHeader", name: expression.name });
      // As after body (decision A-32): `.a.b` navigation only in simple conditions; elsewhere it is read as the
      // pointer #/a/b, and reported with it.
      const path = navigate(expression.navigation, expression.pointer);
      if (!Array.isArray(path)) return path;
      return resolved({ kind: "messagePayload", path });
    }
    case "self":
      return {
        ok: false,
        code: "AZC4006",
        args: { feature: "$self inside a JSONPath condition", hint: "Write the document's URI as literal text there." },
      };
  }
}
