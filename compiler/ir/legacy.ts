// The lowered program: each workflow as a state machine over its steps, with resolved requests, typed
// outputs and assigned names. Plain data that the emitter prints and nothing else.
import {
  valueRefs,
  type Action,
  type BoundDocument,
  type ParameterIr,
  type BoundWorkflow,
  type Cond,
  type Ref,
  type Value,
  type WorkflowRef,
} from "../check/model.js";
import { analyzeFlow, END } from "../check/flow.js";
import type { DocumentStore } from "../load/refs.js";
import type { SchemaNormalizer } from "../load/schemas.js";
import { camelCase, NameTable, pascalCase } from "./names.js";
import { reachableSchemas, type SchemaIr, type SchemaTable } from "./schema.js";
import type { TypeIr } from "./types.js";
import { gotoTargets, secretInputs, WorkflowTyping } from "./typing.js";

export interface OutputIr {
  readonly name: string;
  readonly value: Value;
  readonly type: TypeIr;
}

/** What a step does: send an operation's request, or run a workflow of the same document. */
export type StepTargetIr =
  | {
      readonly kind: "operation";
      readonly source: string;
      /** The operation's server as written in the OpenAPI description (may be relative, may hold variables). */
      readonly server?: { readonly url: string; readonly variables: Readonly<Record<string, string>> };
      readonly operationId?: string;
      readonly method: string;
      readonly path: string;
      readonly parameters: readonly ParameterIr[];
      readonly body?: { readonly contentType: string; readonly value: Value };
    }
  | { readonly kind: "workflow"; readonly workflow: WorkflowRef; readonly inputs: ReadonlyArray<readonly [string, Value]> };

export interface StepIr {
  readonly stepId: string;
  readonly description?: string;
  readonly target: StepTargetIr;
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
  /** A retry action of another step runs this one first; control then goes back to that step. */
  readonly isRetryDetour: boolean;
}

export interface WorkflowIr {
  readonly workflowId: string;
  /** The exported function. */
  readonly functionName: string;
  /** The internal function that runs the workflow within a run (called by the exported one and by other workflows). */
  readonly runnerName: string;
  /** The module constant naming the workflow and its secret inputs for the runtime. */
  readonly definitionName: string;
  /** The module function checking the inputs against the inputs schema. */
  readonly checkName: string;
  readonly inputsTypeName: string;
  readonly outputsTypeName: string;
  readonly stepsTypeName: string;
  readonly summary?: string;
  readonly description?: string;
  /** The inputs as an object type (members from the schema's properties). */
  readonly inputsType: TypeIr;
  /** The normalized inputs schema (its references name entries of ModuleIr.schemas), for the run-time check. */
  readonly inputsSchema?: SchemaIr;
  /** Inputs whose values must never appear in errors or hooks. */
  readonly secretInputs: readonly string[];
  /** Workflows to complete first, in order. */
  readonly dependsOn: readonly WorkflowRef[];
  /** Workflows its goto actions hand control to: its result may be one of theirs. */
  readonly alsoReturns: readonly WorkflowRef[];
  readonly returnsOthers: boolean;
  readonly steps: readonly StepIr[];
  readonly outputs: ReadonlyArray<OutputIr & { readonly optional: boolean }>;
  /** Steps certainly run when the workflow ends successfully. */
  readonly mustHaveRunAtEnd: ReadonlySet<string>;
}

/** The names by which a module calls a workflow (its own, or one imported from another module). */
export interface WorkflowLink {
  readonly runnerName: string;
  readonly definitionName: string;
  readonly inputsTypeName: string;
  readonly outputsTypeName: string;
  /** Its result may be another workflow's (it has goto workflowId actions): read its outputs with care. */
  readonly returnsOthers: boolean;
}

export function linkKey(ref: WorkflowRef): string {
  return `${ref.source ?? ""}\u0000${ref.workflowId}`;
}

/** The workflows a workflow's steps, retry actions, goto actions and dependsOn name. */
function referencedWorkflows(workflow: BoundWorkflow): WorkflowRef[] {
  return [
    ...workflow.dependsOn,
    ...workflow.steps.flatMap((s) => [
      ...(s.target.kind === "workflow" ? [s.target.workflow] : []),
      ...s.onFailure.flatMap((a) => (a.kind === "retry" && a.workflow ? [a.workflow] : [])),
      ...gotoTargets(s),
    ]),
  ];
}

function uniqueRefs(refs: readonly WorkflowRef[]): WorkflowRef[] {
  return [...new Map(refs.map((r) => [linkKey(r), r])).values()];
}


export interface ModuleIr {
  /** The Arazzo document's path relative to the project, for the header. */
  readonly sourcePath: string;
  readonly title: string;
  readonly workflows: readonly WorkflowIr[];
  /** How this module reaches each workflow its steps, actions and dependencies name (key: linkKey). */
  readonly links: ReadonlyMap<string, WorkflowLink>;
  /** Workflows imported from the modules of other Arazzo documents. */
  readonly imports: ReadonlyArray<{
    /** The defining module's path in the output folder (`sub/auth.arazzo.ts`); the emitter makes the specifier. */
    readonly module: string;
    readonly names: ReadonlyArray<{ readonly name: string; readonly alias: string; readonly typeOnly: boolean }>;
  }>;
  /** Module-level names already taken (runtime imports, workflow functions and types). */
  readonly reservedNames: ReadonlySet<string>;
  /** The named schemas the workflows' inputs schemas refer to. */
  readonly schemas: SchemaTable;
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
      return [cond.context, ...(typeof cond.pattern === "string" ? [] : cond.pattern.filter((p): p is Ref => typeof p !== "string"))];
    case "jsonpath":
      return [cond.context, ...(cond.embedded ?? [])];
    case "nodeCompare":
      return [cond.context];
  }
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
      return cond.context.kind === "responseBody" && cond.path.every((p) => typeof p === "string")
        ? [[...cond.context.path, ...cond.path.map(String)]]
        : [];
    default:
      return [];
  }
}

type WorkflowNames = Pick<
  WorkflowIr,
  "functionName" | "runnerName" | "definitionName" | "checkName" | "inputsTypeName" | "outputsTypeName" | "stepsTypeName" | "returnsOthers"
>;

/** What one module knows of another's workflows, to call them and to type their outputs. */
interface BuiltModule {
  readonly fileName: string;
  readonly names: ReadonlyMap<string, WorkflowNames>;
  readonly typingOf: (workflowId: string) => WorkflowTyping | undefined;
}

export class ProgramBuilder {
  private readonly schemas: SchemaNormalizer;
  /** Modules built so far, by the absolute path of their Arazzo document. */
  private readonly built = new Map<string, BuiltModule>();

  constructor(store: DocumentStore) {
    this.schemas = store.schemas;
  }

  /**
   * Builds one document's module. `externals` maps each arazzo-type source description to the path of
   * its document, which must have been built before (its workflows are imported from its module).
   */
  build(document: BoundDocument, sourcePath: string, fileName: string, externals: ReadonlyMap<string, string> = new Map()): ModuleIr {
    // Names for every workflow first: a step may call a workflow defined later in the document.
    const table = new NameTable();
    const names = new Map<string, WorkflowNames>();
    for (const w of document.workflows) {
      const functionName = table.claim(camelCase(w.workflowId), "workflow");
      const base = pascalCase(functionName);
      names.set(w.workflowId, {
        functionName,
        runnerName: table.claim(`${functionName}InRun`, "workflow"),
        definitionName: table.claim(`${functionName}Workflow`, "workflow"),
        checkName: table.claim(`check${base}Inputs`, "workflow"),
        inputsTypeName: table.claim(`${base}Inputs`, "workflow"),
        outputsTypeName: table.claim(`${base}Outputs`, "workflow"),
        stepsTypeName: table.claim(`${base}Steps`, "workflow"),
        returnsOthers: w.steps.some((step) => gotoTargets(step).length > 0),
      });
    }

    const documentGotoTargets = new Set(document.workflows.flatMap((w) => w.steps.flatMap(gotoTargets)).map(linkKey));
    // Workflows of other documents: imported under names of their own in this module.
    const links = new Map<string, WorkflowLink>();
    const imports = new Map<string, { name: string; alias: string; typeOnly: boolean }[]>();
    const linkOf = (ref: WorkflowRef): WorkflowLink | undefined => {
      const key = linkKey(ref);
      if (ref.source === undefined) return names.get(ref.workflowId);
      const existing = links.get(key);
      if (existing) return existing;
      const other = this.built.get(externals.get(ref.source) ?? "");
      const theirs = other?.names.get(ref.workflowId);
      if (!other || !theirs) return undefined;
      // Imported names carry the source's name: authLoginInRun, AuthLoginInputs.
      const alias = (prefix: string, name: string) => table.claim(`${prefix}${name.charAt(0).toUpperCase()}${name.slice(1)}`, "workflow");
      const link: WorkflowLink = {
        runnerName: alias(camelCase(ref.source), theirs.runnerName),
        definitionName: alias(camelCase(ref.source), theirs.definitionName),
        inputsTypeName: alias(pascalCase(ref.source), theirs.inputsTypeName),
        outputsTypeName: alias(pascalCase(ref.source), theirs.outputsTypeName),
        returnsOthers: theirs.returnsOthers,
      };
      const list = imports.get(other.fileName) ?? [];
      list.push(
        { name: theirs.runnerName, alias: link.runnerName, typeOnly: false },
        { name: theirs.definitionName, alias: link.definitionName, typeOnly: false },
        { name: theirs.inputsTypeName, alias: link.inputsTypeName, typeOnly: true },
      );
      // Its outputs type only where a goto makes its result this module's workflow's result.
      if (documentGotoTargets.has(key)) list.push({ name: theirs.outputsTypeName, alias: link.outputsTypeName, typeOnly: true });
      imports.set(other.fileName, list);
      links.set(key, link);
      return link;
    };

    const typings = new Map<string, WorkflowTyping>();
    const byId = new Map(document.workflows.map((w) => [w.workflowId, w]));
    const typingOf = (ref: WorkflowRef): WorkflowTyping | undefined => {
      if (ref.source !== undefined) return this.built.get(externals.get(ref.source) ?? "")?.typingOf(ref.workflowId);
      const workflow = byId.get(ref.workflowId);
      if (!workflow) return undefined;
      let typing = typings.get(ref.workflowId);
      if (!typing) {
        typing = new WorkflowTyping(workflow, this.schemas, typingOf);
        typings.set(ref.workflowId, typing);
      }
      return typing;
    };
    const workflows = document.workflows.map((w) => this.workflow(w, names.get(w.workflowId)!, typingOf({ workflowId: w.workflowId })!));
    // Every workflow another step, action or dependency refers to gets its link (and import) now.
    for (const w of document.workflows) {
      for (const ref of referencedWorkflows(w)) linkOf(ref);
    }
    this.built.set(document.absolutePath, { fileName, names, typingOf: (id) => typingOf({ workflowId: id }) });
    return {
      sourcePath,
      title: document.title,
      workflows,
      links: new Map([...links, ...[...names].map(([id, n]) => [linkKey({ workflowId: id }), n] as const)]),
      imports: [...imports].map(([file, names]) => ({ module: file, names })),
      reservedNames: new Set(table.names),
      schemas: reachableSchemas(
        workflows.flatMap((w) => (w.inputsSchema !== undefined ? [w.inputsSchema] : [])),
        this.schemas.table,
      ),
    };
  }

  private workflow(workflow: BoundWorkflow, names: WorkflowNames, typing: WorkflowTyping): WorkflowIr {
    const flow = analyzeFlow(workflow.steps);
    const detours = new Set(
      workflow.steps.flatMap((s) => s.onFailure.flatMap((a) => (a.kind === "retry" && a.stepId !== undefined ? [a.stepId] : []))),
    );
    const steps: StepIr[] = workflow.steps.map((step, index) => {
      const bodyReads = new Map<string, { path: readonly string[]; type: TypeIr }>();
      const reads = [
        ...step.outputs.flatMap((o) => valueRefs(o.value)),
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
        bodyReads.set(JSON.stringify(path), { path, type: typing.bodyTypeAt(step, path) });
      }
      const target = step.target;
      return {
        stepId: step.stepId,
        ...(step.description !== undefined ? { description: step.description } : {}),
        target:
          target.kind === "operation"
            ? {
                kind: "operation",
                source: target.operation.sourceName,
                ...(target.operation.server !== undefined ? { server: target.operation.server } : {}),
                ...(target.operation.operationId !== undefined ? { operationId: target.operation.operationId } : {}),
                method: target.operation.method,
                path: target.operation.path,
                parameters: step.parameters,
                ...(step.body ? { body: step.body } : {}),
              }
            : { kind: "workflow", workflow: target.workflow, inputs: target.inputs },
        successCriteria: step.successCriteria,
        outputs: step.outputs.map((o) => ({ name: o.name, value: o.value, type: typing.stepOutputType(step.stepId, o.name) })),
        onSuccess: step.onSuccess,
        onFailure: step.onFailure,
        next: workflow.steps[index + 1]?.stepId ?? null,
        mustHaveRun: flow.mustHaveRun.get(step.stepId) ?? new Set(),
        bodyReads: [...bodyReads.values()],
        isRetryDetour: detours.has(step.stepId),
      };
    });

    const atEnd = flow.mustHaveRun.get(END) ?? new Set<string>();
    const outputs = workflow.outputs.map((o) => {
      const optional = valueRefs(o.value).some((r) => r.kind === "stepOutput" && !atEnd.has(r.stepId));
      return { name: o.name, value: o.value, type: typing.workflowOutputType(o.name), optional };
    });

    return {
      workflowId: workflow.workflowId,
      ...names,
      ...(workflow.summary !== undefined ? { summary: workflow.summary } : {}),
      ...(workflow.description !== undefined ? { description: workflow.description } : {}),
      inputsType: typing.inputsType,
      ...(workflow.inputs ? { inputsSchema: this.schemas.normalize(workflow.inputs) } : {}),
      secretInputs: secretInputs(workflow, typing.inputsType),
      dependsOn: workflow.dependsOn,
      alsoReturns: uniqueRefs(workflow.steps.flatMap(gotoTargets)),
      steps,
      outputs,
      mustHaveRunAtEnd: atEnd,
    };
  }
}

