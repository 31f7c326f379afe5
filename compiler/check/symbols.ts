// The symbol table of one Arazzo document, built once before anything is lowered: its workflows, their steps,
// inputs and outputs, its source descriptions, and each step's effective parameters and actions (its own,
// then the workflow's that it does not redefine, reference §8 #1), with reusable objects resolved. A
// workflow-level entry is resolved once here, so its problems are reported once, whatever the number of steps.
import type { Diagnostic } from "../diagnostics.js";
import { isObject } from "../load/json.js";
import type { AsyncApiSource } from "../load/asyncapi.js";
import type { OpenApiSource } from "../load/openapi.js";
import { joinPointer } from "../load/pointer.js";
import type { DocumentStore } from "../load/refs.js";
import type { ParsedFile } from "../load/yaml.js";
import {
  arazzoVersionOf,
  type ArazzoDocument,
  type ArazzoVersion,
  type FailureAction,
  type Parameter,
  type Reusable,
  type Step,
  type SuccessAction,
  type Workflow,
} from "../schema/arazzo.js";
import type { Located } from "../load/json.js";
import { inputsUnreadable, isStub } from "../schema/validate.js";
import { calledWorkflowInputs, inputNames, requiredInputs } from "./inputs.js";
import { Collector } from "./report.js";
import type { WorkflowTarget } from "./targets.js";

export interface BindInput {
  readonly file: ParsedFile;
  readonly document: ArazzoDocument;
  /** OpenAPI sources by name; a name missing here failed to load (already reported). */
  readonly sources: ReadonlyMap<string, OpenApiSource>;
  /** AsyncAPI sources by name (message steps); a name missing here failed to load or is another kind. */
  readonly asyncSources?: ReadonlyMap<string, AsyncApiSource>;
  /** Resolves $refs in the sources' schemas. */
  readonly store: DocumentStore;
  /** The Arazzo documents that arazzo-type source descriptions name, by source name (already validated). */
  readonly arazzoSources?: ReadonlyMap<string, ArazzoDocument>;
  /** The files of those documents, by source name (their workflows' inputs schemas resolve $refs there). */
  readonly arazzoFiles?: ReadonlyMap<string, ParsedFile>;
}

/** A parameter as the step uses it: reusable resolved, with where it is written and whether it is inherited. */
export interface ParameterEntry {
  readonly parameter: Parameter;
  readonly pointer: string;
  /** Written in the workflow's parameters (shared by its steps), not in the step's. */
  readonly inherited: boolean;
}

export interface ActionEntry {
  readonly action: SuccessAction | FailureAction;
  readonly pointer: string;
  readonly inherited: boolean;
}

export interface StepSymbol {
  readonly step: Step;
  readonly stepId: string;
  readonly pointer: string;
  /** The step's own parameters (in order, reusables resolved), before the merge. */
  readonly ownParameters: readonly ParameterEntry[];
  /** Own then inherited parameters; a step calling a workflow inherits only those without `in` (reference §8 #18). */
  readonly parameters: readonly ParameterEntry[];
  readonly ownOnSuccess: readonly ActionEntry[];
  readonly ownOnFailure: readonly ActionEntry[];
  readonly onSuccess: readonly ActionEntry[];
  readonly onFailure: readonly ActionEntry[];
}

export interface InputsSymbol {
  /** Declared input names; undefined when the inputs schema declares no properties. */
  readonly names: ReadonlySet<string> | undefined;
  readonly required: readonly string[];
  /** The inputs $ref resolves nowhere, or to a component that could not be read (reported): any input name is taken on trust. */
  readonly broken: boolean;
}

export interface WorkflowSymbol {
  readonly workflow: Workflow;
  readonly workflowId: string;
  readonly pointer: string;
  readonly steps: readonly StepSymbol[];
  /** Each stepId's first declaration. */
  readonly stepsById: ReadonlyMap<string, StepSymbol>;
  /** Output names by stepId. */
  readonly stepOutputs: ReadonlyMap<string, ReadonlySet<string>>;
  readonly inputs: InputsSymbol;
  readonly outputNames: ReadonlySet<string>;
  /** The workflow's own parameters and actions, resolved once; steps inherit them. */
  readonly parameters: readonly ParameterEntry[];
  readonly successActions: readonly ActionEntry[];
  readonly failureActions: readonly ActionEntry[];
}

export interface SourceSymbol {
  readonly name: string;
  readonly type: string | undefined;
  readonly pointer: string;
  /** The entry could not be read (reported): it is never loaded, and what it would declare is unknown. */
  readonly unread: boolean;
}

export interface SymbolTable extends BindInput {
  readonly arazzoSources: ReadonlyMap<string, ArazzoDocument>;
  readonly workflows: readonly WorkflowSymbol[];
  /** Each workflowId's first declaration. */
  readonly workflowsById: ReadonlyMap<string, WorkflowSymbol>;
  readonly sourceDescriptions: readonly SourceSymbol[];
  /** Each source name's first declaration. */
  readonly sourcesByName: ReadonlyMap<string, SourceSymbol>;
}

/**
 * The declared and required inputs of a workflow, read through its normalized inputs schema (members
 * declared through allOf, oneOf, anyOf and $ref count too).
 */
export function workflowInputs(store: DocumentStore, inputs: Located | undefined): { names: Set<string> | undefined; required: string[] } {
  return { names: inputNames(store, inputs), required: requiredInputs(store, inputs) };
}

/** The inputs of a workflow a step calls (of this document, or of an Arazzo source), where they are written. */
export function calledInputs(symbols: SymbolTable, called: WorkflowTarget): { names: Set<string> | undefined; required: string[] } {
  return workflowInputs(symbols.store, calledWorkflowInputs(called, symbols.file, symbols.arazzoFiles ?? new Map()));
}

/** The grammar and rules a document's expressions follow: those of the version it declares. */
export function versionOf(symbols: { readonly document: ArazzoDocument }): ArazzoVersion {
  return arazzoVersionOf(symbols.document.arazzo) ?? "1.0";
}

/** The (in, name) key that makes a parameter unique; header names are case-insensitive. */
export function parameterKey(parameter: { readonly in?: string | undefined; readonly name: string }): string {
  return `${parameter.in ?? ""}:${parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name}`;
}

/** Step entries first, then inherited ones the step does not redefine. */
function merge<T>(own: readonly T[], inherited: readonly T[], key: (item: T) => string): T[] {
  const keys = new Set(own.map(key));
  return [...own, ...inherited.filter((item) => !keys.has(key(item)))];
}

type ReusableKind = "parameters" | "successActions" | "failureActions";

/** A list entry, or the component a Reusable Object names (with its `value` for a parameter). */
function resolveReusable<T>(
  item: T | Reusable,
  kind: ReusableKind,
  pointer: string,
  document: ArazzoDocument,
  out: Collector,
): T | undefined {
  if (!isObject(item) || !("reference" in item)) return item as T;
  const reusable = item as Reusable;
  const prefix = `$components.${kind}.`;
  const at = { pointer: joinPointer(pointer, "reference") };
  if (!reusable.reference.startsWith(prefix)) {
    out.report("AZC3001", { text: reusable.reference, reason: `this list takes references of the form ${prefix}<name>` }, at);
    return undefined;
  }
  const name = reusable.reference.slice(prefix.length);
  const components = document.components?.[kind] as Record<string, T> | undefined;
  const target = components !== undefined && Object.prototype.hasOwnProperty.call(components, name) ? components[name] : undefined;
  // A component that could not be read (reported where it is written) is neither resolved nor unknown.
  if ((components !== undefined && isStub(components)) || (isObject(target) && isStub(target))) return undefined;
  if (target === undefined) {
    const declared = Object.keys(components ?? {}).join(", ") || "none";
    out.report("AZC3001", { text: reusable.reference, reason: `components.${kind} has no '${name}' (declared: ${declared})` }, at);
    return undefined;
  }
  if (reusable.value === undefined) return target;
  if (kind !== "parameters") {
    out.report("AZC2001", { message: "'value' applies only to references to parameters" }, { pointer: joinPointer(pointer, "value") });
    return target;
  }
  return { ...target, value: reusable.value } as T;
}

export function parameterEntries(
  list: readonly (Parameter | Reusable)[] | undefined,
  base: string,
  inherited: boolean,
  document: ArazzoDocument,
  out: Collector,
): ParameterEntry[] {
  return (list ?? []).flatMap((item, i) => {
    const pointer = joinPointer(base, i);
    const parameter = resolveReusable<Parameter>(item, "parameters", pointer, document, out);
    return parameter ? [{ parameter, pointer, inherited }] : [];
  });
}

function actionEntries(
  list: readonly (SuccessAction | FailureAction | Reusable)[] | undefined,
  kind: "successActions" | "failureActions",
  base: string,
  inherited: boolean,
  document: ArazzoDocument,
  out: Collector,
): ActionEntry[] {
  return (list ?? []).flatMap((item, i) => {
    const pointer = joinPointer(base, i);
    const action = resolveReusable<SuccessAction | FailureAction>(item, kind, pointer, document, out);
    return action ? [{ action, pointer, inherited }] : [];
  });
}

function firstById<T>(items: readonly T[], id: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(id(item))) map.set(id(item), item);
  return map;
}

function workflowSymbol(workflow: Workflow, pointer: string, input: BindInput, out: Collector): WorkflowSymbol {
  const { document, file, store } = input;
  // An inputs $ref that resolves nowhere is reported once; its inputs are then taken on trust.
  const inputsRef = isObject(workflow.inputs) && typeof workflow.inputs["$ref"] === "string" ? workflow.inputs["$ref"] : undefined;
  const hit = inputsRef !== undefined ? store.resolve(file, inputsRef, { at: joinPointer(pointer, "inputs") }) : undefined;
  // An inputs component that could not be read (reported where it is written): its inputs are taken on trust.
  const unreadable = inputsRef !== undefined && inputsUnreadable(document, inputsRef);
  if (hit && "error" in hit)
    out.report("AZC1007", { ref: inputsRef!, reason: hit.error }, { pointer: joinPointer(pointer, "inputs", "$ref") });
  const inputs = workflowInputs(store, { file, pointer: joinPointer(pointer, "inputs"), value: workflow.inputs });

  const parameters = parameterEntries(workflow.parameters, joinPointer(pointer, "parameters"), true, document, out);
  const successActions = actionEntries(
    workflow.successActions,
    "successActions",
    joinPointer(pointer, "successActions"),
    true,
    document,
    out,
  );
  const failureActions = actionEntries(
    workflow.failureActions,
    "failureActions",
    joinPointer(pointer, "failureActions"),
    true,
    document,
    out,
  );
  const actionName = (e: ActionEntry): string => e.action.name;

  const steps = workflow.steps.map((step, index): StepSymbol => {
    const at = joinPointer(pointer, "steps", index);
    const ownParameters = parameterEntries(step.parameters, joinPointer(at, "parameters"), false, document, out);
    const ownOnSuccess = actionEntries(step.onSuccess, "successActions", joinPointer(at, "onSuccess"), false, document, out);
    const ownOnFailure = actionEntries(step.onFailure, "failureActions", joinPointer(at, "onFailure"), false, document, out);
    const callsWorkflow = step.workflowId !== undefined;
    return {
      step,
      stepId: step.stepId,
      pointer: at,
      ownParameters,
      parameters: callsWorkflow
        ? merge(
            ownParameters,
            parameters.filter((e) => e.parameter.in === undefined),
            (e) => e.parameter.name,
          )
        : merge(ownParameters, parameters, (e) => parameterKey(e.parameter)),
      ownOnSuccess,
      ownOnFailure,
      onSuccess: merge(ownOnSuccess, successActions, actionName),
      onFailure: merge(ownOnFailure, failureActions, actionName),
    };
  });
  const stepOutputs = new Map<string, Set<string>>();
  for (const step of workflow.steps)
    if (!stepOutputs.has(step.stepId)) stepOutputs.set(step.stepId, new Set(Object.keys(step.outputs ?? {})));
  return {
    workflow,
    workflowId: workflow.workflowId,
    pointer,
    steps,
    stepsById: firstById(steps, (s) => s.stepId),
    stepOutputs,
    inputs: { names: inputs.names, required: inputs.required, broken: unreadable || (hit !== undefined && "error" in hit) },
    outputNames: new Set(Object.keys(workflow.outputs ?? {})),
    parameters,
    successActions,
    failureActions,
  };
}

export function buildSymbols(input: BindInput): { symbols: SymbolTable; diagnostics: Diagnostic[] } {
  const out = new Collector(input.file);
  const workflows = input.document.workflows.map((w, i) => workflowSymbol(w, joinPointer("/workflows", i), input, out));
  const sourceDescriptions = input.document.sourceDescriptions.map((s, i): SourceSymbol => ({
    name: s.name,
    type: s.type,
    pointer: joinPointer("/sourceDescriptions", i),
    unread: isStub(s),
  }));
  return {
    symbols: {
      ...input,
      arazzoSources: input.arazzoSources ?? new Map(),
      workflows,
      workflowsById: firstById(workflows, (w) => w.workflowId),
      sourceDescriptions,
      sourcesByName: firstById(sourceDescriptions, (s) => s.name),
    },
    diagnostics: out.diagnostics,
  };
}
