// Binding an Arazzo document: each step to its OpenAPI operation, each parameter to the operation's
// declaration, each expression to what it reads, each criterion to a condition tree. Every problem found
// becomes a diagnostic at the node that holds it; nothing here throws on bad input.
import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type SourceRange } from "../diagnostics.js";
import { parseCondition, type ComparisonOperator, type Condition, type Operand as ConditionOperand } from "../expressions/condition.js";
import { parseJsonPath, singularQuerySteps } from "../expressions/jsonpath/index.js";
import { jpNestedRepetition } from "../../runtime/runtime-jsonpath.js";
import { parseRuntimeExpression } from "../expressions/runtime-expression.js";
import { classifyValueString, findBareExpressions, parseTemplate } from "../expressions/template.js";
import type { OpenApiSource, OperationInfo } from "../load/openapi.js";
import { isJsonMediaType, isObject } from "../load/json.js";
import { escapePointerToken, joinPointer, parsePointer } from "../load/pointer.js";
import type { DocumentStore } from "../load/refs.js";
import type { ParsedFile } from "../load/yaml.js";
import type { ArazzoDocument, Criterion, FailureAction, Parameter, Reusable, Step, SuccessAction, Workflow } from "../schema/arazzo.js";
import type {
  Action,
  BoundDocument,
  ParameterIr,
  BoundStep,
  BoundWorkflow,
  Cond,
  Operand,
  Ref,
  StepTarget,
  Value,
  WorkflowRef,
} from "./model.js";
import { analyzeFlow, END } from "./flow.js";
import { bodySchemas, observedResponses, pathPresence } from "./responses.js";
import { resolveExpression, type Place, type Scope } from "./resolve.js";

export interface BindInput {
  readonly file: ParsedFile;
  readonly document: ArazzoDocument;
  /** OpenAPI sources by name; a name missing here failed to load (already reported). */
  readonly sources: ReadonlyMap<string, OpenApiSource>;
  /** Resolves $refs in the sources' schemas. */
  readonly store: DocumentStore;
  /** The Arazzo documents that arazzo-type source descriptions name, by source name (already validated). */
  readonly arazzoSources?: ReadonlyMap<string, ArazzoDocument>;
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = candidate.toLowerCase() === name.toLowerCase() ? 0 : distance(name.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** A workflow's inputs schema, following local $refs into components.inputs. */
function inputsSchema(schema: unknown, document: ArazzoDocument): Record<string, unknown> | undefined {
  let current = schema;
  for (let hops = 0; hops < 10 && isObject(current) && typeof current["$ref"] === "string"; hops++) {
    const tokens = parsePointer(current["$ref"].replace(/^#/, ""));
    current = tokens && tokens[0] === "components" && tokens[1] === "inputs" ? document.components?.inputs?.[tokens[2] ?? ""] : undefined;
  }
  return isObject(current) ? current : undefined;
}

/** The `properties` of a workflow's inputs schema. */
function inputNames(schema: unknown, document: ArazzoDocument): Set<string> | undefined {
  const resolved = inputsSchema(schema, document);
  return resolved && isObject(resolved["properties"]) ? new Set(Object.keys(resolved["properties"])) : undefined;
}

/** The `required` inputs of a workflow's inputs schema. */
function requiredInputs(schema: unknown, document: ArazzoDocument): string[] {
  const required = inputsSchema(schema, document)?.["required"];
  return Array.isArray(required) ? required.filter((r): r is string => typeof r === "string") : [];
}

export class Binder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly file: ParsedFile;
  private readonly document: ArazzoDocument;
  private readonly sources: ReadonlyMap<string, OpenApiSource>;

  private readonly store: DocumentStore;
  private readonly arazzoSources: ReadonlyMap<string, ArazzoDocument>;

  constructor(input: BindInput) {
    this.store = input.store;
    this.arazzoSources = input.arazzoSources ?? new Map();
    this.file = input.file;
    this.document = input.document;
    this.sources = input.sources;
  }

  /**
   * Reports a diagnostic once: workflow-level parameters and actions are bound again for every step, and
   * their problems must not be told once per step.
   */
  private push(code: DiagnosticCode, args: Record<string, string | number>, pointer: string, range: SourceRange | undefined): void {
    const diagnostic = makeDiagnostic(code, args, { file: this.file.displayPath, pointer, range });
    const key = `${diagnostic.code}\u0000${diagnostic.pointer}\u0000${diagnostic.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diagnostic);
  }

  private readonly reported = new Set<string>();

  private report(code: DiagnosticCode, args: Record<string, string | number>, pointer: string, preferKey = false): void {
    this.push(code, args, pointer, this.file.locate(pointer, preferKey));
  }

  /**
   * Reports at the exact place of `needle` (an expression's text) inside the value at `pointer`, also in a
   * multi-line block (a JSON payload written as text), else at the value.
   */
  private reportInString(code: DiagnosticCode, args: Record<string, string | number>, pointer: string, needle: string): void {
    const range = this.file.locate(pointer);
    let narrowed = range;
    if (range && needle !== "") {
      const lines = this.file.text.split(/\r?\n/);
      for (let n = range.line; n <= range.endLine; n++) {
        const line = lines[n - 1] ?? "";
        const from = n === range.line ? range.column - 1 : 0;
        const at = line.indexOf(needle, from);
        if (at >= 0 && (n < range.endLine || at < range.endColumn)) {
          narrowed = { line: n, column: at + 1, endLine: n, endColumn: at + 1 + needle.length };
          break;
        }
      }
    }
    this.push(code, args, pointer, narrowed);
  }

  bind(): BoundDocument {
    const workflows: BoundWorkflow[] = [];
    const ids = new Set<string>();
    this.document.workflows.forEach((workflow, index) => {
      const pointer = joinPointer("/workflows", index);
      if (ids.has(workflow.workflowId))
        this.report("AZC4010", { what: "workflowId", name: workflow.workflowId }, joinPointer(pointer, "workflowId"));
      ids.add(workflow.workflowId);
      const bound = this.bindWorkflow(workflow, pointer);
      if (bound) workflows.push(bound);
    });
    this.checkDependencyCycles();
    const names = new Set<string>();
    this.document.sourceDescriptions.forEach((source, index) => {
      if (names.has(source.name))
        this.report("AZC4010", { what: "source description name", name: source.name }, joinPointer("/sourceDescriptions", index, "name"));
      names.add(source.name);
    });
    return { displayPath: this.file.displayPath, absolutePath: this.file.path, title: this.document.info.title, workflows };
  }

  /** dependsOn must order the workflows: report each cycle once, at the entry that closes it. */
  private checkDependencyCycles(): void {
    const byId = new Map(this.document.workflows.map((w, i) => [w.workflowId, { workflow: w, index: i }]));
    const state = new Map<string, "visiting" | "done">();
    const reported = new Set<string>();
    const visit = (id: string, path: string[]): void => {
      const entry = byId.get(id);
      if (!entry || state.get(id) === "done") return;
      state.set(id, "visiting");
      (entry.workflow.dependsOn ?? []).forEach((dep, i) => {
        if (state.get(dep) === "visiting") {
          const cycle = [...path.slice(path.indexOf(dep)), id, dep];
          const key = [...cycle].sort().join(" ");
          if (!reported.has(key)) {
            reported.add(key);
            this.report("AZC4015", { cycle: cycle.join(" -> ") }, joinPointer("/workflows", entry.index, "dependsOn", i));
          }
        } else visit(dep, [...path, id]);
      });
      state.set(id, "done");
    };
    for (const w of this.document.workflows) visit(w.workflowId, []);
  }

  private bindWorkflow(workflow: Workflow, pointer: string): BoundWorkflow | undefined {
    const stepOutputs = new Map<string, Set<string>>();
    workflow.steps.forEach((step, index) => {
      if (stepOutputs.has(step.stepId))
        this.report("AZC4010", { what: "stepId", name: step.stepId }, joinPointer(pointer, "steps", index, "stepId"));
      stepOutputs.set(step.stepId, new Set(Object.keys(step.outputs ?? {})));
    });
    const dependencies = new Map<string, Set<string>>();
    const dependsOn: WorkflowRef[] = [];
    (workflow.dependsOn ?? []).forEach((id, i) => {
      const target = this.resolveWorkflow(id, joinPointer(pointer, "dependsOn", i));
      if (!target) return;
      dependencies.set(target.workflow.workflowId, new Set(Object.keys(target.workflow.outputs ?? {})));
      dependsOn.push(target.ref);
    });
    // An inputs $ref that resolves nowhere is reported once; its inputs are then taken on trust.
    const inputsRef = isObject(workflow.inputs) && typeof workflow.inputs["$ref"] === "string" ? workflow.inputs["$ref"] : undefined;
    const brokenInputs = inputsRef !== undefined && "error" in this.store.resolve(this.file, inputsRef);
    if (brokenInputs) {
      const hit = this.store.resolve(this.file, inputsRef!);
      this.report("AZC1007", { ref: inputsRef!, reason: "error" in hit ? hit.error : "" }, joinPointer(pointer, "inputs", "$ref"));
    }
    const scopeBase = {
      ...(brokenInputs ? { anyInput: true } : {}),
      inputNames: inputNames(workflow.inputs, this.document),
      stepOutputs,
      workflowId: workflow.workflowId,
      dependencies,
    };
    const steps: BoundStep[] = [];
    workflow.steps.forEach((step, index) => {
      const bound = this.bindStep(workflow, step, joinPointer(pointer, "steps", index), pointer, scopeBase);
      if (bound) steps.push(bound);
    });
    const outputs: { name: string; value: Value }[] = [];
    for (const [name, expression] of Object.entries(workflow.outputs ?? {})) {
      const value = this.expressionOnly(expression, joinPointer(pointer, "outputs", name), {
        ...scopeBase,
        place: "workflowOutput",
        allowNavigation: false,
      });
      if (value) outputs.push({ name, value });
    }
    if (steps.length === workflow.steps.length) this.checkReads(steps);
    this.reads = [];
    if (steps.length !== workflow.steps.length) return undefined;
    return {
      workflowId: workflow.workflowId,
      ...(workflow.summary !== undefined ? { summary: workflow.summary } : {}),
      ...(workflow.description !== undefined ? { description: workflow.description } : {}),
      ...(workflow.inputs !== undefined
        ? { inputs: { file: this.file, pointer: joinPointer(pointer, "inputs"), value: workflow.inputs } }
        : {}),
      steps,
      outputs,
      dependsOn,
    };
  }

  /**
   * A workflow named by a step, an action or dependsOn: one of this document's, or written
   * `$sourceDescriptions.<name>.<workflowId>`, one of the Arazzo document that source names.
   */
  private resolveWorkflow(text: string, pointer: string): { ref: WorkflowRef; workflow: Workflow; document: ArazzoDocument } | undefined {
    const qualified = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/.exec(text);
    if (qualified) {
      const [, source, workflowId] = qualified as unknown as [string, string, string];
      const declared = this.document.sourceDescriptions.find((d) => d.name === source);
      if (!declared) {
        this.report("AZC4002", { name: source, names: this.document.sourceDescriptions.map((d) => d.name).join(", ") }, pointer);
        return undefined;
      }
      const other = this.arazzoSources.get(source);
      if (!other) {
        // An openapi source, or an Arazzo source that failed to load (reported where it is declared).
        if (declared.type !== "arazzo")
          this.report("AZC4014", { workflowId: text, names: `(source '${source}' is not an Arazzo document)` }, pointer);
        return undefined;
      }
      const workflow = other.workflows.find((w) => w.workflowId === workflowId);
      if (!workflow) {
        this.report(
          "AZC4014",
          { workflowId: text, names: other.workflows.map((w) => `$sourceDescriptions.${source}.${w.workflowId}`).join(", ") },
          pointer,
        );
        return undefined;
      }
      return { ref: { workflowId, source }, workflow, document: other };
    }
    const found = this.document.workflows.find((w) => w.workflowId === text);
    if (!found) {
      this.report("AZC4014", { workflowId: text, names: this.document.workflows.map((w) => w.workflowId).join(", ") }, pointer);
      return undefined;
    }
    return { ref: { workflowId: text }, workflow: found, document: this.document };
  }

  private resolveOperation(step: Step, pointer: string): OperationInfo | undefined {
    const openapiSources = [...this.sources.values()];
    if (step.operationPath !== undefined) {
      const match = /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(.*)$/.exec(step.operationPath);
      const at = joinPointer(pointer, "operationPath");
      if (!match) {
        this.report(
          "AZC3001",
          { text: step.operationPath, reason: "an operationPath is '{$sourceDescriptions.<name>.url}#<JSON pointer to an operation>'" },
          at,
        );
        return undefined;
      }
      const source = this.sources.get(match[1]!);
      if (!source) {
        if (!this.document.sourceDescriptions.some((s) => s.name === match[1]))
          this.report("AZC4002", { name: match[1]!, names: this.document.sourceDescriptions.map((s) => s.name).join(", ") }, at);
        return undefined;
      }
      const operation = source.byPointer.get(decodeURIComponent(match[2]!));
      if (!operation)
        this.report(
          "AZC3001",
          { text: step.operationPath, reason: `the pointer does not reach an Operation Object (a path item needs /get, /post, ...)` },
          at,
        );
      return operation;
    }
    const text = step.operationId!;
    const at = joinPointer(pointer, "operationId");
    let candidates = openapiSources;
    let operationId = text;
    const qualified = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/.exec(text);
    if (qualified) {
      const source = this.sources.get(qualified[1]!);
      if (!source) {
        if (!this.document.sourceDescriptions.some((s) => s.name === qualified[1]))
          this.report("AZC4002", { name: qualified[1]!, names: this.document.sourceDescriptions.map((s) => s.name).join(", ") }, at);
        return undefined;
      }
      candidates = [source];
      operationId = qualified[2]!;
    }
    if (candidates.length === 0) return undefined; // the sources failed to load, already reported
    const found = candidates.map((s) => s.byOperationId.get(operationId)).filter((op): op is OperationInfo => op !== undefined);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      this.report(
        "AZC4010",
        { what: "operationId across sources (qualify it as $sourceDescriptions.<name>.<operationId>)", name: operationId },
        at,
      );
      return undefined;
    }
    const suggestion = closest(
      operationId,
      candidates.flatMap((s) => [...s.byOperationId.keys()]),
    );
    this.report("AZC4001", { operationId, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, at);
    return undefined;
  }

  /** Workflow and step lists merged per reference §8 #1: the step's entries first, then inherited ones not redefined. */
  private merge<T>(stepList: readonly T[], workflowList: readonly T[], key: (item: T) => string): T[] {
    const own = new Set(stepList.map(key));
    return [...stepList, ...workflowList.filter((item) => !own.has(key(item)))];
  }

  private resolveReusable<T>(item: T | Reusable, kind: "parameters" | "successActions" | "failureActions", pointer: string): T | undefined {
    if (!isObject(item) || !("reference" in item)) return item as T;
    const reusable = item as Reusable;
    const prefix = `$components.${kind}.`;
    if (!reusable.reference.startsWith(prefix)) {
      this.report(
        "AZC3001",
        { text: reusable.reference, reason: `this list takes references of the form ${prefix}<name>` },
        joinPointer(pointer, "reference"),
      );
      return undefined;
    }
    const name = reusable.reference.slice(prefix.length);
    const components = this.document.components?.[kind] as Record<string, T> | undefined;
    const target = components?.[name];
    if (target === undefined) {
      this.report(
        "AZC3001",
        {
          text: reusable.reference,
          reason: `components.${kind} has no '${name}' (declared: ${Object.keys(components ?? {}).join(", ") || "none"})`,
        },
        joinPointer(pointer, "reference"),
      );
      return undefined;
    }
    if (reusable.value !== undefined) {
      if (kind !== "parameters") {
        this.report("AZC2001", { message: "'value' applies only to references to parameters" }, joinPointer(pointer, "value"));
        return target;
      }
      return { ...target, value: reusable.value } as T;
    }
    return target;
  }

  private bindStep(
    workflow: Workflow,
    step: Step,
    pointer: string,
    workflowPointer: string,
    scopeBase: Omit<Scope, "place" | "allowNavigation">,
  ): BoundStep | undefined {
    const target_ = step.workflowId !== undefined ? this.resolveWorkflow(step.workflowId, joinPointer(pointer, "workflowId")) : undefined;
    const called = target_?.workflow;
    const operation = step.workflowId === undefined ? this.resolveOperation(step, pointer) : undefined;
    const callOutputs = called ? new Set(Object.keys(called.outputs ?? {})) : undefined;
    this.stepPointers.set(step.stepId, joinPointer(pointer, "stepId"));
    const scope = (place: Place, allowNavigation = false): Scope => ({
      ...scopeBase,
      stepId: step.stepId,
      place,
      allowNavigation,
      ...(callOutputs ? { callOutputs, noResponse: true } : {}),
    });

    // Parameters: resolve reusables, merge with the workflow's, bind to the operation's declarations.
    type Entry = { parameter: Parameter; pointer: string };
    const collect = (list: readonly (Parameter | Reusable)[] | undefined, base: string): Entry[] =>
      (list ?? []).flatMap((item, i) => {
        const at = joinPointer(base, "parameters", i);
        const parameter = this.resolveReusable<Parameter>(item as Parameter | Reusable, "parameters", at);
        return parameter ? [{ parameter, pointer: at }] : [];
      });
    const keyOf = (e: Entry) =>
      `${e.parameter.in ?? ""}:${e.parameter.in === "header" ? e.parameter.name.toLowerCase() : e.parameter.name}`;
    // Within the step's list and within the workflow's, (name, in) is unique.
    const reportDuplicates = (entries: readonly Entry[]): void => {
      const seen = new Set<string>();
      for (const entry of entries) {
        if (seen.has(keyOf(entry))) {
          const name = `${entry.parameter.name}, ${entry.parameter.in ?? "-"}`;
          this.report("AZC4010", { what: "parameter (name, in)", name }, joinPointer(entry.pointer, "name"));
        }
        seen.add(keyOf(entry));
      }
    };
    const ownEntries = collect(step.parameters, pointer);
    const inherited = collect(workflow.parameters, workflowPointer);
    reportDuplicates(ownEntries);
    reportDuplicates(inherited);
    // A step that calls a workflow maps parameters to its inputs by name: its own, and the workflow's
    // parameters that have no `in` (reference §8 #18); `in` means nothing there.
    const entries =
      step.workflowId !== undefined
        ? this.merge(
            ownEntries,
            inherited.filter((e) => e.parameter.in === undefined),
            (e) => e.parameter.name,
          )
        : this.merge(ownEntries, inherited, keyOf);
    const parameters: ParameterIr[] = [];
    const supplied = new Set<string>();
    const callInputs: (readonly [string, Value])[] = [];
    for (const { parameter, pointer: at } of entries) {
      if (called) {
        if (parameter.in !== undefined) {
          this.report("AZC4016", { name: parameter.name, in: parameter.in, workflowId: called.workflowId }, joinPointer(at, "in"), true);
        }
        const declaredInputs = inputNames(called.inputs, target_!.document);
        if (declaredInputs && !declaredInputs.has(parameter.name)) {
          this.report(
            "AZC4018",
            { name: parameter.name, workflowId: called.workflowId, names: [...declaredInputs].join(", ") },
            joinPointer(at, "name"),
          );
        }
        const value = this.lowerValue(parameter.value, joinPointer(at, "value"), scope("parameter"), false);
        if (value) callInputs.push([parameter.name, value]);
        continue;
      }
      if (parameter.in === undefined) {
        if (step.workflowId === undefined)
          this.report("AZC2003", { field: "in", object: "Parameter (the step calls an operation)" }, at, true);
        // Whatever it was meant to be, it was meant: no "required parameter not supplied" as well.
        supplied
          .add(`path:${parameter.name}`)
          .add(`query:${parameter.name}`)
          .add(`header:${parameter.name.toLowerCase()}`)
          .add(`cookie:${parameter.name}`);
        continue;
      }
      const value = this.lowerValue(parameter.value, joinPointer(at, "value"), scope("parameter"), false);
      // A value that failed (already reported) still supplies the parameter: no cascade of "missing".
      if (!value) supplied.add(`${parameter.in}:${parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name}`);
      if (!value || !operation) continue;
      const declared = operation.parameters.find(
        (p) =>
          p.in === parameter.in && (p.in === "header" ? p.name.toLowerCase() === parameter.name.toLowerCase() : p.name === parameter.name),
      );
      const bySecurity = operation.securityParameters.some(
        (p) => p.in === parameter.in && p.name === (parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name),
      );
      // Accept, Content-Type and Authorization are never OpenAPI parameters: sending them is normal.
      const standardHeader =
        parameter.in === "header" && ["accept", "content-type", "authorization"].includes(parameter.name.toLowerCase());
      if (!declared && !bySecurity && !standardHeader) {
        const elsewhere = operation.parameters.find((p) => p.name === parameter.name);
        if (parameter.in === "path") {
          const names = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
          this.report(
            "AZC4009",
            { name: parameter.name, path: operation.path, names: names.join(", ") || "(none)" },
            joinPointer(at, "name"),
          );
          // Meant for one of the template's parameters: no "required parameter not supplied" on top.
          for (const name of names) supplied.add(`path:${name}`);
          continue;
        }
        this.report(
          "AZC4007",
          {
            name: parameter.name,
            in: parameter.in,
            operationId: operationLabel(operation) + (elsewhere ? ` (it declares it in ${elsewhere.in})` : ""),
          },
          joinPointer(at, "name"),
        );
      }
      parameters.push({
        name: parameter.name,
        in: parameter.in,
        value,
        ...(declared?.style !== undefined ? { style: declared.style } : {}),
        ...(declared?.explode !== undefined ? { explode: declared.explode } : {}),
        ...(declared?.allowReserved !== undefined ? { allowReserved: declared.allowReserved } : {}),
        ...(declared?.contentType !== undefined ? { contentType: declared.contentType } : {}),
      });
    }
    if (operation) {
      for (const declared of operation.parameters) {
        if (!declared.required) continue;
        const key = `${declared.in}:${declared.in === "header" ? declared.name.toLowerCase() : declared.name}`;
        const given =
          supplied.has(key) ||
          parameters.some(
            (p) =>
              p.in === declared.in && (p.in === "header" ? p.name.toLowerCase() === declared.name.toLowerCase() : p.name === declared.name),
          );
        if (!given) this.report("AZC4008", { in: declared.in, name: declared.name, operationId: operationLabel(operation) }, pointer, true);
      }
    }

    // Request body.
    let body: BoundStep["body"];
    if (step.requestBody !== undefined && step.workflowId !== undefined) {
      this.report("AZC4017", {}, joinPointer(pointer, "requestBody"), true);
    } else if (step.requestBody !== undefined) {
      const at = joinPointer(pointer, "requestBody");
      const declared = operation?.requestBody?.content.map((c) => c.mediaType) ?? [];
      const contentType = step.requestBody.contentType ?? declared.find((m) => isJsonMediaType(m)) ?? declared[0] ?? "application/json";
      const payload = step.requestBody.payload;
      let value = this.lowerPayload(payload, contentType, joinPointer(at, "payload"), scope("requestBody"));
      if (value && step.requestBody.replacements !== undefined) {
        value = this.applyReplacements(value, step.requestBody.replacements, joinPointer(at, "replacements"), scope("requestBody"));
      }
      if (value) body = { contentType, value };
    } else if (operation?.requestBody?.required) {
      this.report("AZC4013", { operationId: operationLabel(operation) }, pointer, true);
    }

    // Criteria, outputs, actions.
    const successCriteria = (step.successCriteria ?? []).flatMap(
      (c, i) => this.lowerCriterion(c, joinPointer(pointer, "successCriteria", i), scope("criterion", true)) ?? [],
    );
    const outputs: { name: string; value: Value }[] = [];
    for (const [name, expression] of Object.entries(step.outputs ?? {})) {
      const value = this.expressionOnly(expression, joinPointer(pointer, "outputs", name), scope("stepOutput"));
      if (value) outputs.push({ name, value });
    }
    const stepIds = new Set(workflow.steps.map((s) => s.stepId));
    const onSuccess = this.lowerActions(
      this.merge(
        indexed(step.onSuccess, joinPointer(pointer, "onSuccess")),
        indexed(workflow.successActions, joinPointer(workflowPointer, "successActions")),
        (e) => actionName(e.item),
      ),
      "successActions",
      stepIds,
      workflow.workflowId,
      scope("criterion", true),
    );
    const onFailure = this.lowerActions(
      this.merge(
        indexed(step.onFailure, joinPointer(pointer, "onFailure")),
        indexed(workflow.failureActions, joinPointer(workflowPointer, "failureActions")),
        (e) => actionName(e.item),
      ),
      "failureActions",
      stepIds,
      workflow.workflowId,
      scope("criterion", true),
    );
    if (called) {
      for (const name of requiredInputs(called.inputs, target_!.document)) {
        if (!callInputs.some(([given]) => given === name)) {
          this.report("AZC4019", { name, workflowId: called.workflowId }, pointer, true);
        }
      }
    }
    const target: StepTarget | undefined = operation
      ? { kind: "operation", operation }
      : called
        ? { kind: "workflow", workflow: target_!.ref, inputs: callInputs }
        : undefined;
    const admitted = admittedStatuses(successCriteria);
    if (target) this.checkBodyReads({ target, onFailure, ...(admitted ? { admittedStatuses: admitted } : {}) });
    this.bodyReads = [];
    if (!target) return undefined;
    return {
      stepId: step.stepId,
      ...(step.description !== undefined ? { description: step.description } : {}),
      target,
      parameters,
      ...(body ? { body } : {}),
      successCriteria,
      outputs,
      onSuccess,
      onFailure,
      ...(admitted ? { admittedStatuses: admitted } : {}),
    };
  }

  private lowerActions(
    entries: { item: SuccessAction | FailureAction | Reusable; pointer: string }[],
    kind: "successActions" | "failureActions",
    stepIds: ReadonlySet<string>,
    workflowId: string,
    scope: Scope,
  ): Action[] {
    const actions: Action[] = [];
    const names = new Set<string>();
    for (const { item, pointer } of entries) {
      const action = this.resolveReusable<SuccessAction | FailureAction>(item, kind, pointer);
      if (!action) continue;
      if (names.has(action.name)) this.report("AZC4010", { what: "action name", name: action.name }, joinPointer(pointer, "name"));
      names.add(action.name);
      const criteria = (action.criteria ?? []).flatMap((c, i) => this.lowerCriterion(c, joinPointer(pointer, "criteria", i), scope) ?? []);
      if (action.type === "end") {
        actions.push({ kind: "end", name: action.name, criteria });
      } else if (action.type === "goto" && action.stepId !== undefined) {
        if (!stepIds.has(action.stepId)) {
          this.report("AZC4003", { stepId: action.stepId, workflowId, names: [...stepIds].join(", ") }, joinPointer(pointer, "stepId"));
          continue;
        }
        actions.push({ kind: "goto", name: action.name, stepId: action.stepId, criteria });
      } else if (action.type === "goto") {
        const target = this.resolveWorkflow(action.workflowId!, joinPointer(pointer, "workflowId"));
        if (target) actions.push({ kind: "gotoWorkflow", name: action.name, workflow: target.ref, criteria });
      } else if (action.type === "retry") {
        const retry = action as FailureAction;
        if (retry.stepId !== undefined && !stepIds.has(retry.stepId)) {
          this.report("AZC4003", { stepId: retry.stepId, workflowId, names: [...stepIds].join(", ") }, joinPointer(pointer, "stepId"));
          continue;
        }
        const retryWorkflow =
          retry.workflowId !== undefined ? this.resolveWorkflow(retry.workflowId, joinPointer(pointer, "workflowId")) : undefined;
        if (retry.workflowId !== undefined && !retryWorkflow) continue;
        actions.push({
          kind: "retry",
          name: retry.name,
          // A retry action without retryLimit retries once (reference §8 #3).
          retryLimit: retry.retryLimit ?? 1,
          ...(retry.retryAfter !== undefined ? { retryAfter: retry.retryAfter } : {}),
          ...(retry.stepId !== undefined ? { stepId: retry.stepId } : {}),
          ...(retryWorkflow ? { workflow: retryWorkflow.ref } : {}),
          criteria,
        });
      }
    }
    return actions;
  }

  /** A field that holds only a runtime expression (outputs). */
  private expressionOnly(text: string, pointer: string, scope: Scope): Value | undefined {
    const parsed = parseRuntimeExpression(text);
    if (!parsed.ok) {
      this.report("AZC3001", { text, reason: parsed.reason }, pointer);
      return undefined;
    }
    const ref = this.resolve(parsed.value, text, scope, pointer);
    return ref ? { kind: "ref", ref } : undefined;
  }

  private resolve(expression: Parameters<typeof resolveExpression>[0], text: string, scope: Scope, pointer: string): Ref | undefined {
    const resolution = resolveExpression(expression, text, scope);
    if (resolution.ok) {
      this.noteRead(resolution.ref, scope, pointer, text);
      return resolution.ref;
    }
    this.reportInString(resolution.code, resolution.args, pointer, text);
    return undefined;
  }

  /** Step outputs read, with where and when, checked against the control flow once the workflow is bound. */
  private reads: { ref: Extract<Ref, { kind: "stepOutput" }>; scope: Scope; pointer: string; text: string }[] = [];

  private noteRead(ref: Ref, scope: Scope, pointer: string, text = ""): void {
    if (ref.kind === "stepOutput") this.reads.push({ ref, scope, pointer, text });
    if (ref.kind === "responseBody" && ref.path.length > 0) this.bodyReads.push({ path: ref.path, pointer });
  }

  /** JSON-pointer reads of the current step's response body, checked against its response schemas. */
  private bodyReads: { path: readonly string[]; pointer: string }[] = [];

  private checkBodyReads(step: Pick<BoundStep, "target" | "admittedStatuses" | "onFailure">): void {
    const responses = observedResponses(step);
    const schemas = bodySchemas(responses).flatMap((m) => (m.schema && isJsonMediaType(m.mediaType) ? [m.schema] : []));
    if (step.target.kind !== "operation" || schemas.length === 0) return;
    for (const { path, pointer } of this.bodyReads) {
      const presences = schemas.map((schema) => pathPresence(this.store, schema, path));
      const broken = presences.find((p) => typeof p === "object");
      if (broken && typeof broken === "object") {
        // A $ref of the description that resolves nowhere: said where it is written.
        const at = broken.at;
        const diagnostic = makeDiagnostic(
          "AZC1010",
          { ref: broken.broken, reason: broken.reason },
          { file: at.file.displayPath, pointer: joinPointer(at.pointer, "$ref"), range: at.file.locate(joinPointer(at.pointer, "$ref")) },
        );
        const key = `${diagnostic.code}\u0000${diagnostic.file}\u0000${diagnostic.pointer}`;
        if (!this.reported.has(key)) {
          this.reported.add(key);
          this.diagnostics.push(diagnostic);
        }
        continue;
      }
      if (presences.every((p) => p === "absent")) {
        this.report(
          "AZC4021",
          {
            operationId: operationLabel(step.target.operation),
            pointer: "/" + path.map(escapePointerToken).join("/"),
            statuses: responses.map((r) => r.status).join(", "),
          },
          pointer,
        );
      }
    }
  }

  /**
   * `$steps.X.outputs.Y` needs X to have run: an error when no path to the read runs X, a warning when some
   * path skips it. A read before the request (parameters, body) sees the steps run before this one; a read
   * after it (criteria, outputs) also sees this step, whose outputs are recorded first.
   */
  private checkReads(steps: readonly BoundStep[]): void {
    const flow = analyzeFlow(steps);
    for (const { ref, scope, pointer, text } of this.reads) {
      const at = scope.stepId ?? END;
      if (scope.stepId !== undefined && !flow.reachable.has(scope.stepId)) continue; // reported as unreachable
      const after = scope.place === "criterion" || scope.place === "stepOutput";
      const self = after && ref.stepId === scope.stepId;
      const reader = scope.stepId !== undefined ? `Step '${scope.stepId}'` : "The workflow's outputs";
      const args = { reader, target: ref.stepId, output: ref.name };
      if (self || flow.mustHaveRun.get(at)?.has(ref.stepId)) continue;
      if (flow.mayHaveRun.get(at)?.has(ref.stepId)) {
        // Optional workflow outputs are the normal case of a branch; only step reads are worth a warning.
        if (scope.stepId !== undefined) this.reportInString("AZC4020", args, pointer, text);
      } else {
        this.reportInString("AZC4011", args, pointer, text);
      }
    }
    for (const step of steps) {
      if (!flow.reachable.has(step.stepId)) this.report("AZC5001", { stepId: step.stepId }, this.stepPointers.get(step.stepId)!, true);
      else if (flow.trapped.has(step.stepId)) this.report("AZC5002", { stepId: step.stepId }, this.stepPointers.get(step.stepId)!, true);
    }
  }

  private readonly stepPointers = new Map<string, string>();

  /**
   * A value position (Any | {expression}): whole-string expressions keep their type, `{$...}` templates
   * interpolate, other strings are literal except for the bare expressions of DESIGN decision 1.
   * In a JSON payload a string that is exactly `{$expr}` keeps the value's type (reference §8 #13).
   */
  private lowerValue(raw: unknown, pointer: string, scope: Scope, typedTemplates: boolean): Value | undefined {
    if (typeof raw === "string") {
      const classified = classifyValueString(raw);
      switch (classified.kind) {
        case "expression": {
          const ref = this.resolve(classified.expression, raw, scope, pointer);
          return ref ? { kind: "ref", ref } : undefined;
        }
        case "error":
          this.reportInString("AZC3001", { text: classified.text, reason: classified.reason }, pointer, classified.text);
          return undefined;
        case "template": {
          // Every part is resolved, so that each wrong one is reported, not just the first.
          const parts: (string | Ref | undefined)[] = classified.parts.map((part) =>
            part.kind === "text" ? part.text : this.resolve(part.expression, part.text, scope, pointer),
          );
          if (!parts.every((p): p is string | Ref => p !== undefined)) return undefined;
          if (typedTemplates && parts.length === 1 && typeof parts[0] !== "string") return { kind: "ref", ref: parts[0]! };
          return { kind: "template", parts };
        }
        case "literal":
          return this.bareExpressions(raw, pointer, scope);
      }
    }
    if (Array.isArray(raw)) {
      const lowered = raw.map((member, i) => this.lowerValue(member, joinPointer(pointer, i), scope, typedTemplates));
      if (!lowered.every((v): v is Value => v !== undefined)) return undefined;
      const items: Value[] = lowered;
      return items.every((v) => v.kind === "literal") ? { kind: "literal", value: raw } : { kind: "array", items };
    }
    if (isObject(raw)) {
      const lowered = Object.entries(raw).map(
        ([key, member]) => [key, this.lowerValue(member, joinPointer(pointer, key), scope, typedTemplates)] as const,
      );
      if (!lowered.every((e): e is readonly [string, Value] => e[1] !== undefined)) return undefined;
      const entries: [string, Value][] = lowered.map(([k, v]) => [k, v]);
      return entries.every(([, v]) => v.kind === "literal") ? { kind: "literal", value: raw } : { kind: "object", entries };
    }
    return { kind: "literal", value: raw };
  }

  /** DESIGN decision 1: `"Bearer $inputs.token"` interpolates declared names, with a warning. */
  private bareExpressions(text: string, pointer: string, scope: Scope): Value {
    const parts: (string | Ref)[] = [];
    let index = 0;
    for (const candidate of findBareExpressions(text)) {
      if (candidate.start < index) continue;
      // Longest prefix of the candidate that resolves to a declared input or step output.
      let resolved: { ref: Ref; length: number } | undefined;
      for (let end = candidate.text.length; end > 0 && !resolved; end--) {
        const piece = candidate.text.slice(0, end);
        if (/[.]$/.test(piece)) continue;
        const parsed = parseRuntimeExpression(piece);
        if (!parsed.ok) continue;
        const resolution = resolveExpression(parsed.value, piece, { ...scope, allowNavigation: false });
        const isDeclaredName =
          resolution.ok && (resolution.ref.kind === "input" || resolution.ref.kind === "stepOutput") && resolution.ref.path.length === 0;
        if (resolution.ok && isDeclaredName) {
          resolved = { ref: resolution.ref, length: end };
        }
      }
      if (!resolved) continue;
      this.noteRead(resolved.ref, scope, pointer, candidate.text.slice(0, resolved.length));
      const expressionText = candidate.text.slice(0, resolved.length);
      const suggestion = text.slice(0, candidate.start) + "{" + expressionText + "}" + text.slice(candidate.start + resolved.length);
      this.reportInString("AZC3002", { expression: expressionText, suggestion }, pointer, expressionText);
      if (candidate.start > index) parts.push(text.slice(index, candidate.start));
      parts.push(resolved.ref);
      index = candidate.start + resolved.length;
    }
    if (parts.length === 0) return { kind: "literal", value: text };
    if (index < text.length) parts.push(text.slice(index));
    return { kind: "template", parts };
  }

  /**
   * Payload replacements (JSON pointer targets): applied to the payload's structure here when it is
   * known at build time, else at run time. A target whose parent the payload lacks is an error.
   */
  private applyReplacements(
    payload: Value,
    replacements: readonly { target: string; value: unknown }[],
    pointer: string,
    scope: Scope,
  ): Value | undefined {
    const lowered: [string[], Value][] = [];
    for (const [i, replacement] of replacements.entries()) {
      const at = joinPointer(pointer, i);
      const tokens = parsePointer(replacement.target);
      if (!tokens || tokens.length === 0) {
        this.report(
          "AZC4006",
          {
            feature: `Replacement target '${replacement.target}' (XPath or the whole payload)`,
            hint: "Use a JSON pointer to a member, e.g. /petId.",
          },
          joinPointer(at, "target"),
        );
        return undefined;
      }
      const value = this.lowerValue(replacement.value, joinPointer(at, "value"), scope, true);
      if (!value) return undefined;
      lowered.push([tokens, value]);
    }
    if (payload.kind === "ref" || payload.kind === "jsonText") return { kind: "replaced", base: payload, replacements: lowered };
    let result: Value = payload;
    for (const [i, [tokens, value]] of lowered.entries()) {
      const next = setAt(result, tokens, value);
      if (next === undefined) {
        this.report("AZC4022", { target: replacements[i]!.target }, joinPointer(pointer, i, "target"));
        return undefined;
      }
      result = next;
    }
    return result;
  }

  private lowerPayload(payload: unknown, contentType: string, pointer: string, scope: Scope): Value | undefined {
    if (typeof payload === "string" && /^application\/x-www-form-urlencoded/i.test(contentType)) {
      // A form body written as text: each embedded value is URL-encoded.
      const value = this.lowerValue(payload, pointer, scope, false);
      return value?.kind === "template" ? { ...value, encoding: "form" } : value;
    }
    if (
      typeof payload === "string" &&
      isJsonMediaType(contentType) &&
      parseTemplate(payload).ok &&
      !classifyValueString(payload).kind.startsWith("expression")
    ) {
      // A JSON document written as a string template: parse it first so that embedded expressions keep
      // their types (reference §8 #13).
      try {
        const parsed: unknown = JSON.parse(payload);
        if (typeof parsed === "object" && parsed !== null) return this.lowerValue(parsed, pointer, scope, true);
      } catch {
        // Not JSON before substitution: interpolated as text, then parsed when the step runs. With every
        // value a number it must parse; if not, the text itself is broken (a missing comma, say).
        const probe = payload.replace(/\{\$[^}]*\}/g, "0");
        try {
          JSON.parse(probe);
        } catch (error) {
          const reason = (error as Error).message;
          // The probe has the payload's lines (values hold no line breaks): name the line of the error.
          const position = Number(/position (\d+)/.exec(reason)?.[1] ?? NaN);
          const lineIndex = Number.isNaN(position) ? -1 : probe.slice(0, position).split("\n").length - 1;
          const line = (payload.split("\n")[lineIndex] ?? "").trim();
          this.reportInString("AZC3011", { reason: reason.replace(/ in JSON at position \d+.*$/, "") }, pointer, line);
          this.lowerValue(payload, pointer, scope, false); // its expressions' own problems
          return undefined;
        }
        const text = this.lowerValue(payload, pointer, scope, false);
        return text ? { kind: "jsonText", text } : undefined;
      }
    }
    return this.lowerValue(payload, pointer, scope, isJsonMediaType(contentType));
  }

  private lowerCriterion(criterion: Criterion, pointer: string, scope: Scope): Cond | undefined {
    const type = typeof criterion.type === "object" ? criterion.type.type : (criterion.type ?? "simple");
    const conditionPointer = joinPointer(pointer, "condition");
    if (type === "simple") {
      if (criterion.type === "simple" && criterion.context === undefined) this.report("AZC3010", {}, joinPointer(pointer, "type"));
      const parsed = parseCondition(criterion.condition);
      if (!parsed.ok) {
        this.report("AZC3003", { text: criterion.condition, reason: `${parsed.reason} (at offset ${parsed.offset})` }, conditionPointer);
        return undefined;
      }
      return this.lowerCondition(parsed.condition, conditionPointer, scope);
    }
    if (criterion.context === undefined) {
      this.report("AZC3007", { type }, pointer, true);
      return undefined;
    }
    const contextValue = this.expressionOnly(criterion.context, joinPointer(pointer, "context"), scope);
    if (!contextValue || contextValue.kind !== "ref") return undefined;
    const context = contextValue.ref;
    if (type === "regex") {
      if (criterion.condition.includes("{$")) {
        // Values embedded in the pattern ([1.1], supported): the pattern is built when the step runs.
        const pattern = this.lowerValue(criterion.condition, conditionPointer, scope, false);
        if (!pattern) return undefined;
        // The values are literal text at run time: the structure is the literal parts'.
        const structure = pattern.kind === "template" ? pattern.parts.map((p) => (typeof p === "string" ? p : "x")).join("") : "";
        if (jpNestedRepetition(structure)) this.report("AZC6080", { text: criterion.condition }, conditionPointer);
        return { kind: "regex", context, pattern: pattern.kind === "template" ? pattern.parts : criterion.condition };
      }
      try {
        new RegExp(criterion.condition);
      } catch (error) {
        this.report("AZC3006", { text: criterion.condition, reason: (error as Error).message }, conditionPointer);
        return undefined;
      }
      if (jpNestedRepetition(criterion.condition)) this.report("AZC6080", { text: criterion.condition }, conditionPointer);
      return { kind: "regex", context, pattern: criterion.condition };
    }
    if (type === "xpath") {
      this.report("AZC3008", {}, pointer, true);
      return undefined;
    }
    if (typeof criterion.type === "object") {
      this.report(
        "AZC4006",
        { feature: "The draft-goessner JSONPath dialect", hint: "Write the query in RFC 9535 JSONPath and drop the version." },
        joinPointer(pointer, "type"),
      );
      return undefined;
    }
    // Values embedded in the query ([1.1], supported): `{$inputs.id}` (or '{$inputs.id}') stands for a JSON
    // literal; the query is parsed with a placeholder there, and the emitter puts the value in its place.
    const embedded: Ref[] = [];
    let failedEmbedding = false;
    const queryText = criterion.condition.replace(/'?\{(\$[^}]*)\}'?/g, (_whole, inner: string) => {
      const parsedInner = parseRuntimeExpression(inner);
      const ref = parsedInner.ok ? this.resolve(parsedInner.value, inner, scope, conditionPointer) : undefined;
      if (!parsedInner.ok) this.reportInString("AZC3001", { text: inner, reason: parsedInner.reason }, conditionPointer, inner);
      if (!ref) {
        failedEmbedding = true;
        return "null";
      }
      embedded.push(ref);
      return `"\\u0000${embedded.length - 1}"`;
    });
    if (failedEmbedding) return undefined;
    const parsed = parseJsonPath(queryText);
    if (parsed.ok)
      return embedded.length > 0
        ? { kind: "jsonpath", context, query: parsed.query, embedded }
        : { kind: "jsonpath", context, query: parsed.query };
    const comparison = sloppyComparison(criterion.condition);
    if (comparison) {
      const simple = `${criterion.context}${comparison.path.length > 0 ? "#/" + comparison.path.map((p) => escapePointerToken(String(p))).join("/") : ""} ${comparison.operator} ${simpleLiteral(comparison.literal)}`;
      this.report("AZC3004", { text: criterion.condition, suggestion: comparison.suggestion, simple }, conditionPointer);
      return { kind: "nodeCompare", context, path: comparison.path, operator: comparison.operator, literal: comparison.literal };
    }
    this.report("AZC3005", { text: criterion.condition, reason: `${parsed.message} (at offset ${parsed.offset})` }, conditionPointer);
    return undefined;
  }

  private lowerCondition(condition: Condition, pointer: string, scope: Scope): Cond | undefined {
    switch (condition.kind) {
      case "and":
      case "or": {
        const left = this.lowerCondition(condition.left, pointer, scope);
        const right = this.lowerCondition(condition.right, pointer, scope);
        return left && right ? { kind: condition.kind, left, right } : undefined;
      }
      case "not": {
        const operand = this.lowerCondition(condition.operand, pointer, scope);
        return operand ? { kind: "not", operand } : undefined;
      }
      case "compare": {
        const left = this.lowerOperand(condition.left, pointer, scope);
        const right = this.lowerOperand(condition.right, pointer, scope);
        return left && right ? { kind: "compare", operator: condition.operator, left, right } : undefined;
      }
      case "test": {
        const operand = this.lowerOperand(condition.operand, pointer, scope);
        return operand ? { kind: "truthy", operand } : undefined;
      }
    }
  }

  private lowerOperand(operand: ConditionOperand, pointer: string, scope: Scope): Operand | undefined {
    if (operand.kind === "literal") return operand;
    const ref = this.resolve(operand.expression, operand.text, scope, pointer);
    return ref ? { kind: "ref", ref } : undefined;
  }
}

/** The payload with `value` set at `tokens` (`-` appends to an array); undefined when the parent is missing. */
function setAt(payload: Value, tokens: readonly string[], value: Value): Value | undefined {
  const [head, ...rest] = tokens as [string, ...string[]];
  const structured: Value =
    payload.kind === "literal" && Array.isArray(payload.value)
      ? { kind: "array", items: payload.value.map((v: unknown): Value => ({ kind: "literal", value: v })) }
      : payload.kind === "literal" && isObject(payload.value)
        ? { kind: "object", entries: Object.entries(payload.value).map(([k, v]): [string, Value] => [k, { kind: "literal", value: v }]) }
        : payload;
  if (structured.kind === "object") {
    const existing = structured.entries.find(([k]) => k === head)?.[1];
    if (rest.length > 0 && existing === undefined) return undefined;
    const inner = rest.length === 0 ? value : setAt(existing!, rest, value);
    if (inner === undefined) return undefined;
    const entries =
      existing === undefined
        ? [...structured.entries, [head, inner] as const]
        : structured.entries.map(([k, v]) => [k, k === head ? inner : v] as const);
    return { kind: "object", entries };
  }
  if (structured.kind === "array") {
    const index = head === "-" ? structured.items.length : /^(0|[1-9][0-9]*)$/.test(head) ? Number(head) : -1;
    if (index < 0 || index > structured.items.length || (rest.length > 0 && index === structured.items.length)) return undefined;
    const inner = rest.length === 0 ? value : setAt(structured.items[index]!, rest, value);
    if (inner === undefined) return undefined;
    const items = [...structured.items];
    items[index] = inner;
    return { kind: "array", items };
  }
  return undefined;
}

function indexed<T>(list: readonly T[] | undefined, base: string): { item: T; pointer: string }[] {
  return (list ?? []).map((item, i) => ({ item, pointer: joinPointer(base, i) }));
}

function actionName(item: SuccessAction | FailureAction | Reusable): string {
  return "reference" in item ? `reference:${item.reference}` : item.name;
}

export function operationLabel(operation: OperationInfo): string {
  return operation.operationId ?? `${operation.method} ${operation.path}`;
}

/** `$statusCode == N` among the AND-ed success criteria: the statuses a successful response can have. */
function admittedStatuses(criteria: readonly Cond[]): number[] | undefined {
  for (const c of criteria) {
    if (c.kind !== "compare" || c.operator !== "==") continue;
    const [ref, literal] = c.left.kind === "ref" ? [c.left, c.right] : [c.right, c.left];
    if (ref.kind === "ref" && ref.ref.kind === "statusCode" && literal.kind === "literal" && typeof literal.value === "number")
      return [literal.value];
  }
  return undefined;
}

/**
 * `$.a.b == "x"`: a comparison written where a query belongs. Recognised when the left side is a singular
 * RFC 9535 query and the right side a JSON literal (double or single quoted string, number, true, false, null).
 */
function sloppyComparison(
  text: string,
): { path: (string | number)[]; operator: ComparisonOperator; literal: string | number | boolean | null; suggestion: string } | undefined {
  const match = /^\s*(\$.*?)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!match) return undefined;
  const query = parseJsonPath(match[1]!);
  if (!query.ok) return undefined;
  const steps = singularQuerySteps(query.query);
  if (!steps) return undefined;
  const literal = parseLiteral(match[3]!);
  if (literal === undefined) return undefined;
  const operator = match[2] as ComparisonOperator;
  const relative = "@" + match[1]!.slice(1);
  const literalText =
    typeof literal.value === "string" ? `'${literal.value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : JSON.stringify(literal.value);
  return {
    path: steps.map((s) => (s.kind === "name" ? s.name : s.index)),
    operator,
    literal: literal.value,
    suggestion: `$[?${relative} ${operator} ${literalText}]`,
  };
}

/** A literal as a simple condition writes it: strings single-quoted with '' for a quote. */
function simpleLiteral(value: string | number | boolean | null): string {
  return typeof value === "string" ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
}

function parseLiteral(text: string): { value: string | number | boolean | null } | undefined {
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) {
    const inner = text.slice(1, -1);
    return /(^|[^\\])'/.test(inner) ? undefined : { value: inner.replace(/\\(.)/g, "$1") };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { value };
  } catch {
    return undefined;
  }
  return undefined;
}
