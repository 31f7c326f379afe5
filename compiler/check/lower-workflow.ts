// Lowering a workflow: its steps bound to their operations or workflows, their parameters, bodies, criteria,
// outputs and actions lowered to IR values, and what each reads. A workflow-level parameter or action is
// lowered once, the first time a step uses it, and shared by every step that inherits it.
import { isJsonMediaType } from "../load/json.js";
import type { OperationInfo } from "../load/openapi.js";
import { joinPointer } from "../load/pointer.js";
import type { FailureAction, Parameter, Reusable } from "../schema/arazzo.js";
import { isStub } from "../schema/validate.js";
import { admittedStatuses, lowerCriterion } from "./lower-criterion.js";
import {
  lowerMessage,
  maySendOrReceive,
  messageFields,
  namesMessages,
  resolveMessageTarget,
  uncheckedReceiveReason,
  type MessageTarget,
} from "./messages.js";
import { applyReplacements, lowerExpressionField, lowerOutput, lowerPayload, lowerValue } from "./lower-value.js";
import type { Action, BoundStep, BoundWorkflow, ParameterIr, StepTarget, Value, WorkflowRef } from "./model.js";
import { Collector, type Lowered, type Read } from "./report.js";
import type { Place, Scope, WorkflowInScope } from "./resolve.js";
import {
  calledInputs,
  parameterEntries,
  type ActionEntry,
  type ParameterEntry,
  type StepSymbol,
  type SymbolTable,
  type WorkflowSymbol,
} from "./symbols.js";
import { declaredDependencies, orderSteps, resolveStepDependency } from "./step-dependencies.js";
import { resolveOperation, resolveWorkflow, type WorkflowTarget } from "./targets.js";

/** A step as lowered: what it targets, its bound form when it has a target, and what it reads. */
export interface CheckedStep {
  readonly symbol: StepSymbol;
  readonly operation?: OperationInfo;
  /** The AsyncAPI channel and messages of a step that sends or receives a message. */
  readonly message?: MessageTarget;
  readonly called?: WorkflowTarget;
  readonly bound?: BoundStep;
  /** Each parameter the step uses with its lowered value (undefined when lowering failed, or not lowered). */
  readonly parameterValues: ReadonlyArray<{ readonly entry: ParameterEntry; readonly value: Value | undefined }>;
  /** Reads of the step's own parameters, body, criteria, outputs and actions. */
  readonly reads: readonly Read[];
  /** Reads of the workflow-level parameters and actions the step inherits (written once, read by each step). */
  readonly inheritedReads: readonly Read[];
}

export interface CheckedWorkflow {
  readonly symbol: WorkflowSymbol;
  readonly steps: readonly CheckedStep[];
  /** Reads of the workflow's outputs. */
  readonly outputReads: readonly Read[];
  /** The workflow's outputs that could be lowered. */
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly value: Value }>;
  /** The bound workflow, when every step has a target. */
  readonly bound?: BoundWorkflow;
}

type BaseScope = Omit<Scope, "place" | "allowNavigation">;

/** Lowers a list entry once, on first use, however many steps use it. */
class Once<K, T> {
  private readonly results = new Map<K, Lowered<T>>();
  readonly out: Collector;
  constructor(
    out: Collector,
    private readonly lower: (key: K) => Lowered<T>,
  ) {
    this.out = out;
  }
  get(key: K): { value: T | undefined; reads: readonly Read[] } {
    let result = this.results.get(key);
    if (!result) {
      result = this.lower(key);
      this.results.set(key, result);
      this.out.diagnostics.push(...result.diagnostics);
    }
    return { value: result.value, reads: result.reads };
  }
}

/**
 * The parameters of an action that runs a workflow (Arazzo 1.1): that workflow's inputs, evaluated after the
 * step (its response is there). No `in`; names must be inputs of the workflow; with any parameters given, every
 * required input must be. `given` is undefined when the action has no parameters (inputsByWorkflowId applies).
 */
function lowerActionParameters(
  entry: ActionEntry,
  target: WorkflowTarget,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<{ given?: ReadonlyArray<readonly [string, Value]> }> {
  const out = new Collector(symbols.file);
  const list = (entry.action as { parameters?: readonly (Parameter | Reusable)[] }).parameters;
  if (list === undefined) return out.done({});
  const entries = parameterEntries(list, joinPointer(entry.pointer, "parameters"), false, symbols.document, out);
  const { names, required } = calledInputs(symbols, target);
  const workflowId = target.ref.workflowId;
  const given: [string, Value][] = [];
  let ok = entries.length === list.length;
  const seen = new Set<string>();
  for (const { parameter, pointer } of entries) {
    if (parameter.in !== undefined) {
      out.report(
        "AZC4139",
        { name: parameter.name, in: parameter.in, workflowId },
        { pointer: joinPointer(pointer, "in"), preferKey: true },
      );
      ok = false;
      continue;
    }
    if (seen.has(parameter.name)) {
      out.report("AZC4142", { name: parameter.name, action: entry.action.name }, { pointer: joinPointer(pointer, "name") });
      ok = false;
      continue;
    }
    seen.add(parameter.name);
    if (names !== undefined && !names.has(parameter.name)) {
      out.report(
        "AZC4140",
        { name: parameter.name, workflowId, names: [...names].join(", ") || "(none)" },
        { pointer: joinPointer(pointer, "name") },
      );
      ok = false;
      continue;
    }
    const value = out.take(lowerValue(parameter.value, { pointer: joinPointer(pointer, "value") }, scope, false, symbols));
    if (value) given.push([parameter.name, value]);
    else ok = false;
  }
  for (const name of required)
    if (!seen.has(name)) {
      out.report(
        "AZC4141",
        { name, workflowId, action: entry.action.name },
        { pointer: joinPointer(entry.pointer, "parameters"), preferKey: true },
      );
      ok = false;
    }
  return out.done(ok ? { given } : undefined);
}

/** An action's criteria lowered, its target resolved. */
function lowerAction(
  entry: ActionEntry,
  stepIds: ReadonlySet<string>,
  workflowId: string,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Action> {
  const out = new Collector(symbols.file);
  const { action, pointer } = entry;
  const criteria = (action.criteria ?? []).flatMap(
    (c, i) => out.take(lowerCriterion(c, joinPointer(pointer, "criteria", i), scope, symbols)) ?? [],
  );
  const unknownStep = (stepId: string): Lowered<Action> => {
    out.report("AZC4003", { stepId, workflowId, names: [...stepIds].join(", ") }, { pointer: joinPointer(pointer, "stepId") });
    return out.done(undefined);
  };
  if (action.type === "end") return out.done({ kind: "end", name: action.name, criteria });
  if (action.type === "goto" && action.stepId !== undefined) {
    if (!stepIds.has(action.stepId)) return unknownStep(action.stepId);
    return out.done({ kind: "goto", name: action.name, stepId: action.stepId, criteria });
  }
  if (action.type === "goto") {
    const target = out.take(resolveWorkflow(action.workflowId!, joinPointer(pointer, "workflowId"), symbols));
    const inputs = target && out.take(lowerActionParameters(entry, target, scope, symbols));
    if (target && !inputs) return out.done(undefined);
    return out.done(
      target && {
        kind: "gotoWorkflow",
        name: action.name,
        workflow: target.ref,
        criteria,
        ...(inputs!.given ? { inputs: inputs!.given } : {}),
      },
    );
  }
  const retry = action as FailureAction;
  if (retry.stepId !== undefined && !stepIds.has(retry.stepId)) return unknownStep(retry.stepId);
  const retryWorkflow =
    retry.workflowId !== undefined ? out.take(resolveWorkflow(retry.workflowId, joinPointer(pointer, "workflowId"), symbols)) : undefined;
  if (retry.workflowId !== undefined && !retryWorkflow) return out.done(undefined);
  const retryInputs = retryWorkflow && out.take(lowerActionParameters(entry, retryWorkflow, scope, symbols));
  if (retryWorkflow && !retryInputs) return out.done(undefined);
  return out.done({
    kind: "retry",
    name: retry.name,
    // A retry action without retryLimit retries once (reference §8 #3).
    retryLimit: retry.retryLimit ?? 1,
    ...(retry.retryAfter !== undefined ? { retryAfter: retry.retryAfter } : {}),
    ...(retry.stepId !== undefined ? { stepId: retry.stepId } : {}),
    ...(retryWorkflow ? { workflow: retryWorkflow.ref } : {}),
    ...(retryInputs?.given ? { inputs: retryInputs.given } : {}),
    criteria,
  });
}

/** The parameters an operation step sends, bound to the operation's declarations (style, explode, ...). */
function bindParameters(
  entries: ReadonlyArray<{ entry: ParameterEntry; value: Value | undefined }>,
  operation: OperationInfo,
): ParameterIr[] {
  const parameters: ParameterIr[] = [];
  for (const { entry, value } of entries) {
    const { parameter } = entry;
    if (parameter.in === undefined || value === undefined) continue;
    // in: channel belongs to message steps (AsyncAPI), which bind their parameters elsewhere.
    if (parameter.in === "channel") continue;
    const declared = operation.parameters.find(
      (p) =>
        p.in === parameter.in && (p.in === "header" ? p.name.toLowerCase() === parameter.name.toLowerCase() : p.name === parameter.name),
    );
    // A path parameter the template lacks is reported (rules/parameters-declared) and cannot be sent.
    if (!declared && parameter.in === "path") continue;
    // A form query string written with {$...}: each embedded value is URL-encoded, the text stays (delta A-12).
    const formText =
      parameter.in === "querystring" &&
      value.kind === "template" &&
      (declared?.contentType === undefined || /^application\/x-www-form-urlencoded/i.test(declared.contentType));
    parameters.push({
      name: parameter.name,
      in: parameter.in,
      value: formText ? { ...value, encoding: "form" } : value,
      ...(declared?.style !== undefined ? { style: declared.style } : {}),
      ...(declared?.explode !== undefined ? { explode: declared.explode } : {}),
      ...(declared?.allowReserved !== undefined ? { allowReserved: declared.allowReserved } : {}),
      ...(declared?.contentType !== undefined ? { contentType: declared.contentType } : {}),
    });
  }
  return parameters;
}

interface Inherited {
  readonly parameters: Once<ParameterEntry, Value>;
  readonly actions: Once<ActionEntry, Action>;
}

function lowerStep(
  symbol: StepSymbol,
  base: BaseScope,
  inherited: Inherited,
  workflow: WorkflowSymbol,
  symbols: SymbolTable,
): Lowered<CheckedStep> {
  const out = new Collector(symbols.file);
  const { step, pointer } = symbol;
  // A step that could not be read (reported) keeps its id and outputs; there is nothing in it to lower.
  if (isStub(step)) return out.done({ symbol, parameterValues: [], reads: [], inheritedReads: [] });
  const called =
    step.workflowId !== undefined ? out.take(resolveWorkflow(step.workflowId, joinPointer(pointer, "workflowId"), symbols)) : undefined;
  const fields = messageFields(step);
  const isMessage = step.workflowId === undefined && namesMessages(step, symbols);
  const messageTarget = isMessage ? out.take(resolveMessageTarget(step, pointer, symbols)) : undefined;
  const operation = step.workflowId === undefined && !isMessage ? out.take(resolveOperation(step, pointer, symbols)) : undefined;
  const action = fields.action;
  if (messageTarget && action === undefined)
    out.report(
      "AZC4150",
      { stepId: step.stepId, target: messageTarget.label },
      { pointer: joinPointer(pointer, "stepId"), preferKey: true },
    );
  if (operation)
    for (const field of ["action", "correlationId"] as const)
      if (fields[field] !== undefined)
        out.report(
          "AZC4151",
          { field, target: operation.operationId ?? `${operation.method} ${operation.path}` },
          { pointer: joinPointer(pointer, field), preferKey: true },
        );
  const namedSource =
    step.operationPath !== undefined ? /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}/.exec(step.operationPath)?.[1] : undefined;
  if (namedSource !== undefined && symbols.asyncSources?.has(namedSource))
    out.report("AZC4161", { name: namedSource }, { pointer: joinPointer(pointer, "operationPath") });
  // A receive step is a message step whether or not its description could be read (decision A-15).
  if (action === "receive" && (messageTarget || (!operation && maySendOrReceive(step, symbols))) && fields.timeout === undefined)
    out.report("AZC4155", { stepId: step.stepId }, { pointer: joinPointer(pointer, "stepId"), preferKey: true });
  const unchecked =
    action === "receive" && messageTarget && step.successCriteria === undefined
      ? uncheckedReceiveReason(messageTarget, symbols)
      : undefined;
  if (unchecked !== undefined)
    out.report("AZC4159", { stepId: step.stepId, why: unchecked }, { pointer: joinPointer(pointer, "stepId"), preferKey: true });
  const callOutputs = called ? new Set(Object.keys(called.workflow.outputs ?? {})) : undefined;
  const scope = (place: Place, allowNavigation = false): Scope => ({
    ...base,
    stepId: step.stepId,
    place,
    allowNavigation,
    ...(callOutputs ? { callOutputs, noResponse: true } : {}),
    ...(operation ? { method: operation.method } : {}),
    // A step that sends or receives whose source could not be read is still a message step to its expressions.
    ...(isMessage || (action !== undefined && !operation && step.workflowId === undefined) ? { messageStep: true } : {}),
    ...(called ? { calls: called.ref.workflowId } : {}),
  });
  const inheritedReads: Read[] = [];

  // Parameters: own ones lowered here, inherited ones shared; an operation step's parameter without `in`
  // is not sent (rules/parameter-location).
  const parameterValues = symbol.parameters.flatMap((entry) => {
    if (!called && entry.parameter.in === undefined) return [];
    if (entry.inherited) {
      const shared = inherited.parameters.get(entry);
      inheritedReads.push(...shared.reads);
      return [{ entry, value: shared.value }];
    }
    const at = { pointer: joinPointer(entry.pointer, "value") };
    const where = entry.parameter.in !== undefined ? { parameterIn: entry.parameter.in } : {};
    return [{ entry, value: out.take(lowerValue(entry.parameter.value, at, { ...scope("parameter"), ...where }, false, symbols)) }];
  });
  const callInputs = called ? parameterValues.flatMap(({ entry, value }) => (value ? [[entry.parameter.name, value] as const] : [])) : [];

  // Request body (a step calling a workflow sends none: rules/workflow-call-body).
  let body: BoundStep["body"];
  if (step.requestBody !== undefined && step.workflowId === undefined && !isMessage) {
    const at = joinPointer(pointer, "requestBody");
    const declared = operation?.requestBody?.content.map((c) => c.mediaType) ?? [];
    const contentType = step.requestBody.contentType ?? declared.find((m) => isJsonMediaType(m)) ?? declared[0] ?? "application/json";
    let value = out.take(lowerPayload(step.requestBody.payload, contentType, joinPointer(at, "payload"), scope("requestBody"), symbols));
    if (value && step.requestBody.replacements !== undefined)
      value = out.take(
        applyReplacements(
          value,
          step.requestBody.replacements,
          contentType,
          joinPointer(at, "replacements"),
          scope("requestBody"),
          symbols,
        ),
      );
    if (value) body = { contentType, value };
  }

  const successCriteria = (step.successCriteria ?? []).flatMap(
    (c, i) => out.take(lowerCriterion(c, joinPointer(pointer, "successCriteria", i), scope("criterion", true), symbols)) ?? [],
  );
  const outputs = Object.entries(step.outputs ?? {}).flatMap(([name, expression]) => {
    const value = out.take(lowerOutput(expression, name, joinPointer(pointer, "outputs", name), scope("stepOutput"), symbols));
    return value ? [{ name, value }] : [];
  });
  const stepIds = new Set(workflow.stepOutputs.keys());
  const actions = (entries: readonly ActionEntry[]): Action[] =>
    entries.flatMap((entry) => {
      if (!entry.inherited) return out.take(lowerAction(entry, stepIds, workflow.workflowId, scope("criterion", true), symbols)) ?? [];
      const shared = inherited.actions.get(entry);
      inheritedReads.push(...shared.reads);
      return shared.value ?? [];
    });
  const onSuccess = actions(symbol.onSuccess);
  const onFailure = actions(symbol.onFailure);

  const dependsOn = declaredDependencies(step).flatMap(
    (text, i) => out.take(resolveStepDependency(text, joinPointer(pointer, "dependsOn", i), workflow, symbols)) ?? [],
  );

  // A channel parameter fills an AsyncAPI channel's address: an HTTP operation has none.
  if (operation)
    for (const { entry } of parameterValues)
      if ((entry.parameter.in as string | undefined) === "channel")
        out.report("AZC4162", { name: entry.parameter.name }, { pointer: joinPointer(entry.pointer, "in") });
  const message =
    messageTarget && action !== undefined
      ? out.take(lowerMessage(step, pointer, messageTarget, action, parameterValues, (place) => scope(place), symbols))
      : undefined;
  const target: StepTarget | undefined = operation
    ? { kind: "operation", operation }
    : called
      ? { kind: "workflow", workflow: called.ref, inputs: callInputs }
      : message
        ? { kind: "message", message }
        : undefined;
  const admitted = admittedStatuses(successCriteria);
  const bound: BoundStep | undefined = target && {
    stepId: step.stepId,
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
    ...(step.description !== undefined ? { description: step.description } : {}),
    target,
    parameters: operation ? bindParameters(parameterValues, operation) : [],
    ...(body ? { body } : {}),
    successCriteria,
    outputs,
    onSuccess,
    onFailure,
    ...(admitted ? { admittedStatuses: admitted } : {}),
    // A timeout of 0 or less is refused by the schema (decision A-8).
    ...(fields.timeout !== undefined && fields.timeout > 0 ? { timeoutMs: fields.timeout } : {}),
  };
  return out.done({
    symbol,
    ...(operation ? { operation } : {}),
    ...(messageTarget ? { message: messageTarget } : {}),
    ...(called ? { called } : {}),
    ...(bound ? { bound } : {}),
    parameterValues,
    reads: out.reads,
    inheritedReads,
  });
}

/**
 * The workflows `$workflows.<id>` can name in a workflow: every workflow of this document, and the workflows of
 * other documents it runs; marked where the workflow's dependsOn, a step or a retry runs them. Targets that do not
 * resolve are reported where they are written.
 */
function workflowsInScope(
  workflow: WorkflowSymbol,
  dependsOn: readonly WorkflowTarget[],
  symbols: SymbolTable,
): Map<string, WorkflowInScope> {
  const scope = new Map<string, WorkflowInScope>();
  const add = (target: WorkflowTarget, runs: boolean): void => {
    const id = target.ref.workflowId;
    const known = scope.get(id);
    // A workflow this one runs wins over one of the same id it only could name.
    if (known && (known.runs || !runs)) return;
    const inputs = calledInputs(symbols, target);
    scope.set(id, { ref: target.ref, outputs: new Set(Object.keys(target.workflow.outputs ?? {})), inputs: inputs.names, runs });
  };
  for (const other of symbols.workflows)
    add({ ref: { workflowId: other.workflowId }, workflow: other.workflow, document: symbols.document }, false);
  const quietly = (text: string, pointer: string): WorkflowTarget | undefined => resolveWorkflow(text, pointer, symbols).value;
  for (const target of dependsOn) add(target, true);
  for (const step of workflow.steps) {
    const called = step.step.workflowId !== undefined ? quietly(step.step.workflowId, step.pointer) : undefined;
    if (called) add(called, true);
    for (const entry of step.onFailure) {
      const retry = entry.action as FailureAction;
      if (retry.type !== "retry" || retry.workflowId === undefined) continue;
      const target = quietly(retry.workflowId, entry.pointer);
      if (target) add(target, true);
    }
  }
  return scope;
}

export function lowerWorkflow(workflow: WorkflowSymbol, symbols: SymbolTable): Lowered<CheckedWorkflow> {
  const out = new Collector(symbols.file);
  // A workflow that could not be read (reported) keeps its id and output names for those that refer to it.
  if (isStub(workflow.workflow)) return out.done({ symbol: workflow, steps: [], outputReads: [], outputs: [] });
  const dependsOn: WorkflowRef[] = [];
  const dependencies: WorkflowTarget[] = [];
  (workflow.workflow.dependsOn ?? []).forEach((id, i) => {
    const target = out.take(resolveWorkflow(id, joinPointer(workflow.pointer, "dependsOn", i), symbols));
    if (!target) return;
    // A repeated entry (rules/unique-dependencies) still means one run of the workflow.
    if (dependsOn.some((ref) => ref.workflowId === target.ref.workflowId && ref.source === target.ref.source)) return;
    dependencies.push(target);
    dependsOn.push(target.ref);
  });
  // A step that calls a workflow exposes the outputs of that workflow it does not declare itself (as runners do).
  const implicitOutputs = new Map<string, Set<string>>();
  const stepOutputs = new Map<string, ReadonlySet<string>>(workflow.stepOutputs);
  for (const step of workflow.steps) {
    const declared = workflow.stepOutputs.get(step.stepId);
    if (step.step.workflowId === undefined || !declared || workflow.stepsById.get(step.stepId) !== step) continue;
    const called = resolveWorkflow(step.step.workflowId, step.pointer, symbols).value;
    const implicit = Object.keys(called?.workflow.outputs ?? {}).filter((name) => !declared.has(name));
    if (implicit.length === 0) continue;
    implicitOutputs.set(step.stepId, new Set(implicit));
    stepOutputs.set(step.stepId, new Set([...declared, ...implicit]));
  }
  const base: BaseScope = {
    ...(workflow.inputs.broken ? { anyInput: true } : {}),
    inputNames: workflow.inputs.names,
    stepOutputs,
    workflowId: workflow.workflowId,
    workflows: workflowsInScope(workflow, dependencies, symbols),
  };
  // Workflow-level entries are lowered without a step: whether a step may read what they read is checked
  // for each step that inherits them (rules/inherited-reads).
  const stepIds = new Set(workflow.stepOutputs.keys());
  const inherited: Inherited = {
    parameters: new Once(out, (entry) =>
      lowerValue(
        entry.parameter.value,
        { pointer: joinPointer(entry.pointer, "value") },
        { ...base, place: "parameter", allowNavigation: false },
        false,
        symbols,
      ),
    ),
    actions: new Once(out, (entry) =>
      lowerAction(
        entry,
        stepIds,
        workflow.workflowId,
        { ...base, place: "criterion", allowNavigation: true, anyCallOutput: true },
        symbols,
      ),
    ),
  };
  let steps = workflow.steps.flatMap((step) => out.take(lowerStep(step, base, inherited, workflow, symbols)) ?? []);
  // Step dependsOn (1.1) may reorder the steps: everything after this sees them in execution order.
  // (Duplicate stepIds are reported elsewhere; no order is computed among them.) Steps in a dependency cycle
  // have no order: the workflow is not bound, so nothing is judged (or generated) on an order it lacks.
  let cyclic = false;
  const unique = new Set(steps.map((s) => s.symbol.stepId)).size === steps.length;
  if (unique && steps.length === workflow.steps.length && steps.some((s) => declaredDependencies(s.symbol.step).length > 0)) {
    const order = out.take(
      orderSteps(
        steps.map((s) => ({
          id: s.symbol.stepId,
          dependsOn: s.bound?.dependsOn ?? [],
          pointers: declaredDependencies(s.symbol.step).map((_, i) => joinPointer(s.symbol.pointer, "dependsOn", i)),
          reads: [...s.reads, ...s.inheritedReads],
          onSuccess: s.bound?.onSuccess ?? [],
          onFailure: s.bound?.onFailure ?? [],
        })),
        workflow.workflowId,
        symbols,
      ),
    );
    if (order) {
      const byId = new Map(steps.map((s) => [s.symbol.stepId, s] as const));
      steps = order.map((id) => byId.get(id)!);
    } else cyclic = true;
  }
  const outputReads = new Collector(symbols.file);
  const outputs = Object.entries(workflow.workflow.outputs ?? {}).flatMap(([name, expression]) => {
    const at = joinPointer(workflow.pointer, "outputs", name);
    const value = outputReads.take(
      lowerOutput(expression, name, at, { ...base, place: "workflowOutput", allowNavigation: false }, symbols),
    );
    return value ? [{ name, value }] : [];
  });
  out.diagnostics.push(...outputReads.diagnostics);
  // The implicit outputs some expression reads become outputs of their step, each read told its standard form.
  const exposed = new Map<string, Set<string>>();
  for (const read of [...steps.flatMap((s) => [...s.reads, ...s.inheritedReads]), ...outputReads.reads]) {
    const { ref } = read;
    if (ref.kind !== "stepOutput" || !implicitOutputs.get(ref.stepId)?.has(ref.name)) continue;
    out.report("AZC4032", { stepId: ref.stepId, output: ref.name }, read.at);
    exposed.set(ref.stepId, new Set([...(exposed.get(ref.stepId) ?? []), ref.name]));
  }
  const boundSteps = steps.flatMap((s) => {
    if (!s.bound) return [];
    const names = exposed.get(s.bound.stepId);
    if (!names) return [s.bound];
    const added = [...names].map((name) => ({ name, value: { kind: "ref", ref: { kind: "callOutput", name, path: [] } } as Value }));
    return [{ ...s.bound, outputs: [...s.bound.outputs, ...added] }];
  });
  const w = workflow.workflow;
  const bound: BoundWorkflow | undefined =
    boundSteps.length === w.steps.length && !cyclic
      ? {
          workflowId: w.workflowId,
          ...(w.summary !== undefined ? { summary: w.summary } : {}),
          ...(w.description !== undefined ? { description: w.description } : {}),
          ...(w.inputs !== undefined
            ? { inputs: { file: symbols.file, pointer: joinPointer(workflow.pointer, "inputs"), value: w.inputs } }
            : {}),
          steps: boundSteps,
          outputs,
          dependsOn,
        }
      : undefined;
  // The steps' reads are in the CheckedSteps; the collector's own list is not handed on twice.
  return {
    value: { symbol: workflow, steps, outputReads: outputReads.reads, outputs, ...(bound ? { bound } : {}) },
    diagnostics: out.diagnostics,
    reads: [],
  };
}
