// The lowered program: each workflow as a state machine over its steps, with resolved requests, typed
// outputs and assigned names. Plain data that the emitter prints and nothing else.
import type { Action, BoundDocument, BoundParameter, BoundStep, BoundWorkflow, Cond, Ref, Value } from "../check/model.js";
import { analyzeFlow, END } from "../check/flow.js";
import type { Located, MediaTypeInfo, ResponseInfo } from "../load/openapi.js";
import type { DocumentStore } from "../load/refs.js";
import { camelCase, NameTable, pascalCase } from "./names.js";
import { SchemaTyper, union, UNKNOWN, withUndefined, type TypeIr } from "./types.js";

export interface OutputIr {
  readonly name: string;
  readonly value: Value;
  readonly type: TypeIr;
}

export interface StepIr {
  readonly stepId: string;
  readonly description?: string;
  readonly source: string;
  /** The operation's server URL as written in the OpenAPI description (may be relative). */
  readonly serverUrl?: string;
  readonly operationId?: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly BoundParameter[];
  readonly body?: { readonly contentType: string; readonly value: Value };
  readonly successCriteria: readonly Cond[];
  readonly outputs: readonly OutputIr[];
  readonly onSuccess: readonly Action[];
  readonly onFailure: readonly Action[];
  /** Where control goes when no success action applies: the next step, or null at the end. */
  readonly next: string | null;
  /** Steps certainly run before this one starts (their outputs can be read without a check). */
  readonly mustHaveRun: ReadonlySet<string>;
  /** JSON-pointer reads of the response body, with their types, for a typed view of the body. */
  readonly bodyReads: ReadonlyArray<{ readonly path: readonly string[]; readonly type: TypeIr }>;
  /** Type of the whole response body. */
  readonly bodyType: TypeIr;
}

export interface WorkflowIr {
  readonly workflowId: string;
  readonly functionName: string;
  readonly inputsTypeName: string;
  readonly outputsTypeName: string;
  readonly stepsTypeName: string;
  readonly summary?: string;
  readonly description?: string;
  /** The inputs as an object type (members from the schema's properties). */
  readonly inputsType: TypeIr;
  /** The inputs schema, for generating the run-time check. */
  readonly inputsSchema?: Located;
  /** Inputs whose values must never appear in errors or hooks. */
  readonly secretInputs: readonly string[];
  /** Names of the source descriptions the steps call. */
  readonly sources: readonly string[];
  readonly steps: readonly StepIr[];
  readonly outputs: ReadonlyArray<OutputIr & { readonly optional: boolean }>;
  /** Steps certainly run when the workflow ends successfully. */
  readonly mustHaveRunAtEnd: ReadonlySet<string>;
}

export interface ModuleIr {
  /** The Arazzo document's path relative to the project, for the header. */
  readonly sourcePath: string;
  readonly title: string;
  readonly workflows: readonly WorkflowIr[];
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json(?:;|$)/i;
const HEADER_NAMES_WITH_SECRETS = new Set(["authorization", "cookie", "proxy-authorization", "x-api-key", "api-key"]);

/** Refs inside a value, in order. */
function refsOf(value: Value): Ref[] {
  switch (value.kind) {
    case "literal":
      return [];
    case "ref":
      return [value.ref];
    case "template":
      return value.parts.filter((p): p is Ref => typeof p !== "string");
    case "object":
      return value.entries.flatMap(([, v]) => refsOf(v));
    case "array":
      return value.items.flatMap(refsOf);
  }
}

function condRefs(cond: Cond): Ref[] {
  switch (cond.kind) {
    case "and":
    case "or":
      return [...condRefs(cond.left), ...condRefs(cond.right)];
    case "not":
      return condRefs(cond.operand);
    case "compare":
      return [cond.left, cond.right].flatMap((o) => (o.kind === "ref" ? [o.ref] : []));
    case "truthy":
      return cond.operand.kind === "ref" ? [cond.operand.ref] : [];
    case "regex":
    case "jsonpath":
    case "nodeCompare":
      return [cond.context];
  }
}

/** Whether a failed step can hand control to another step (its outputs then reflect any response). */
function continuesOnFailure(step: BoundStep): boolean {
  return step.onFailure.some((a) => a.kind === "goto");
}

/** Response-body paths read by `$.a.b == x` JSONPath comparisons (non-negative indices only). */
function nodeComparePaths(cond: Cond): (readonly string[])[] {
  switch (cond.kind) {
    case "and":
    case "or":
      return [...nodeComparePaths(cond.left), ...nodeComparePaths(cond.right)];
    case "not":
      return nodeComparePaths(cond.operand);
    case "nodeCompare":
      return cond.context.kind === "responseBody" && cond.path.every((p) => typeof p === "string" || p >= 0)
        ? [[...cond.context.path, ...cond.path.map(String)]]
        : [];
    default:
      return [];
  }
}

export class ProgramBuilder {
  private readonly typer: SchemaTyper;

  constructor(store: DocumentStore) {
    this.typer = new SchemaTyper(store);
  }

  build(document: BoundDocument, sourcePath: string): ModuleIr {
    const names = new NameTable();
    const workflows = document.workflows.map((workflow) => this.workflow(workflow, names));
    return { sourcePath, title: document.title, workflows };
  }

  /** The media type of the response a step reads: the admitted statuses, else any 2XX, else default. */
  /**
   * The responses whose values a step's outputs can hold: those the success criteria admit (`$statusCode
   * == N`), else the 2XX ones, else default. A step whose failure actions continue the workflow (goto)
   * exposes its outputs after any response, so then all responses count.
   */
  private observedResponses(step: BoundStep): ResponseInfo[] {
    const responses = step.operation.responses;
    if (continuesOnFailure(step)) return [...responses];
    const admitted = step.admittedStatuses?.map(String);
    let chosen = admitted ? responses.filter((r) => admitted.includes(r.status) || admitted.some((s) => r.status === `${s[0]}XX`)) : [];
    if (chosen.length === 0) chosen = responses.filter((r) => /^2(\d\d|XX)$/i.test(r.status));
    if (chosen.length === 0) chosen = responses.filter((r) => r.status === "default");
    return chosen;
  }

  private responseMedia(step: BoundStep): MediaTypeInfo[] {
    return this.observedResponses(step).flatMap((r) => {
      const json = r.content.find((c) => JSON_MEDIA.test(c.mediaType));
      return json ? [json] : r.content.slice(0, 1);
    });
  }

  private bodyTypeAt(step: BoundStep, path: readonly string[]): TypeIr {
    const media = this.responseMedia(step);
    if (media.length === 0) return UNKNOWN;
    return union(
      media.map((m) => {
        if (!m.schema) return UNKNOWN;
        if (!JSON_MEDIA.test(m.mediaType)) return path.length === 0 ? this.typer.toType(m.schema) : withUndefined(UNKNOWN);
        return this.typer.typeAt(m.schema, path);
      }),
    );
  }

  private workflow(workflow: BoundWorkflow, names: NameTable): WorkflowIr {
    const functionName = names.claim(camelCase(workflow.workflowId), "workflow");
    const typeBase = pascalCase(functionName);
    const flow = analyzeFlow(workflow.steps);
    const inputsType = workflow.inputs ? this.typer.toType(workflow.inputs) : ({ kind: "object", properties: [] } as TypeIr);
    const inputTypeOf = (name: string, path: readonly string[]): TypeIr => {
      if (!workflow.inputs) return UNKNOWN;
      return path.length === 0 && inputsType.kind === "object"
        ? (inputsType.properties.find((p) => p.name === name)?.type ?? UNKNOWN)
        : this.typer.typeAt(workflow.inputs, [name, ...path]);
    };

    // Step output types, computed on demand: an output may read another step's output.
    const stepsById = new Map(workflow.steps.map((s) => [s.stepId, s]));
    const outputTypes = new Map<string, TypeIr>();
    const computing = new Set<string>();
    const refType = (ref: Ref, step: BoundStep | undefined): TypeIr => {
      switch (ref.kind) {
        case "input":
          return inputTypeOf(ref.name, ref.path);
        case "stepOutput": {
          const key = `${ref.stepId}\u0000${ref.name}`;
          if (ref.path.length > 0) return UNKNOWN;
          if (!outputTypes.has(key)) {
            if (computing.has(key)) return UNKNOWN;
            computing.add(key);
            const owner = stepsById.get(ref.stepId);
            const output = owner?.outputs.find((o) => o.name === ref.name);
            outputTypes.set(key, owner && output ? valueType(output.value, owner) : UNKNOWN);
            computing.delete(key);
          }
          return outputTypes.get(key)!;
        }
        case "statusCode":
          return step?.admittedStatuses && !continuesOnFailure(step)
            ? union(step.admittedStatuses.map((s) => ({ kind: "literal", value: s }) as TypeIr))
            : { kind: "number" };
        case "url":
        case "method":
          return { kind: "string" };
        case "responseHeader": {
          // A string where every response the outputs can see declares the header as required.
          const responses = step ? this.observedResponses(step) : [];
          const always =
            responses.length > 0 && responses.every((r) => r.headers.some((h) => h.name === ref.name.toLowerCase() && h.required));
          return always ? { kind: "string" } : withUndefined({ kind: "string" });
        }
        case "responseBody":
          return step ? this.bodyTypeAt(step, ref.path) : UNKNOWN;
      }
    };
    const valueType = (value: Value, step: BoundStep | undefined): TypeIr => {
      switch (value.kind) {
        case "ref":
          return refType(value.ref, step);
        case "template":
          return { kind: "string" };
        default:
          return UNKNOWN;
      }
    };

    const steps: StepIr[] = workflow.steps.map((step, index) => {
      const bodyReads = new Map<string, { path: readonly string[]; type: TypeIr }>();
      const reads = [
        ...step.outputs.flatMap((o) => refsOf(o.value)),
        ...step.successCriteria.flatMap(condRefs),
        ...[...step.onSuccess, ...step.onFailure].flatMap((a) => a.criteria.flatMap(condRefs)),
      ];
      const nodeReads = [...step.successCriteria, ...[...step.onSuccess, ...step.onFailure].flatMap((a) => a.criteria)].flatMap(
        nodeComparePaths,
      );
      for (const path of [
        ...reads.flatMap((ref) => (ref.kind === "responseBody" && ref.path.length > 0 ? [ref.path] : [])),
        ...nodeReads,
      ]) {
        bodyReads.set(JSON.stringify(path), { path, type: this.bodyTypeAt(step, path) });
      }
      const outputs = step.outputs.map((o) => ({ name: o.name, value: o.value, type: valueType(o.value, step) }));
      for (const o of outputs) outputTypes.set(`${step.stepId}\u0000${o.name}`, o.type);
      return {
        stepId: step.stepId,
        ...(step.description !== undefined ? { description: step.description } : {}),
        source: step.operation.sourceName,
        ...(step.operation.serverUrl !== undefined ? { serverUrl: step.operation.serverUrl } : {}),
        ...(step.operation.operationId !== undefined ? { operationId: step.operation.operationId } : {}),
        method: step.operation.method,
        path: step.operation.path,
        parameters: step.parameters,
        ...(step.body ? { body: step.body } : {}),
        successCriteria: step.successCriteria,
        outputs,
        onSuccess: step.onSuccess,
        onFailure: step.onFailure,
        next: workflow.steps[index + 1]?.stepId ?? null,
        mustHaveRun: flow.mustHaveRun.get(step.stepId) ?? new Set(),
        bodyReads: [...bodyReads.values()],
        bodyType: this.bodyTypeAt(step, []),
      };
    });

    const atEnd = flow.mustHaveRun.get(END) ?? new Set<string>();
    const outputs = workflow.outputs.map((o) => {
      const refs = refsOf(o.value);
      const optional = refs.some((r) => r.kind === "stepOutput" && !atEnd.has(r.stepId));
      return { name: o.name, value: o.value, type: valueType(o.value, undefined), optional };
    });

    return {
      workflowId: workflow.workflowId,
      functionName,
      inputsTypeName: names.claim(`${typeBase}Inputs`, "workflow"),
      outputsTypeName: names.claim(`${typeBase}Outputs`, "workflow"),
      stepsTypeName: names.claim(`${typeBase}Steps`, "workflow"),
      ...(workflow.summary !== undefined ? { summary: workflow.summary } : {}),
      ...(workflow.description !== undefined ? { description: workflow.description } : {}),
      inputsType,
      ...(workflow.inputs ? { inputsSchema: workflow.inputs } : {}),
      secretInputs: secretInputs(workflow, inputsType),
      sources: [...new Set(workflow.steps.map((s) => s.operation.sourceName))].sort(),
      steps,
      outputs,
      mustHaveRunAtEnd: atEnd,
    };
  }
}

/** Inputs marked `format: password`, and inputs whose values flow into credential headers. */
function secretInputs(workflow: BoundWorkflow, inputsType: TypeIr): string[] {
  const secrets = new Set<string>();
  if (inputsType.kind === "object") for (const p of inputsType.properties) if (p.format === "password") secrets.add(p.name);
  for (const step of workflow.steps) {
    for (const p of step.parameters) {
      const credential = (p.in === "header" && HEADER_NAMES_WITH_SECRETS.has(p.name.toLowerCase())) || p.in === "cookie";
      if (!credential) continue;
      for (const ref of refsOf(p.value)) if (ref.kind === "input") secrets.add(ref.name);
    }
  }
  return [...secrets].sort();
}
